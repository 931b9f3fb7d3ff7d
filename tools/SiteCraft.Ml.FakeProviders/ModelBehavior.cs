using System.Globalization;

namespace SiteCraft.Ml.FakeProviders;

/// <summary>
/// What the fake does for a model name: tokens joined by '+' (<c>delay-200+words-5</c>).
/// Unknown tokens are ignored, so any ordinary model name echoes. <c>judge-NN</c> answers as an
/// LLM judge giving NN% (<c>{"score":0.NN,"reason":...}</c>).
/// </summary>
internal sealed record ModelBehavior(int? Status, int DelayMilliseconds, int? FailAfter, int? Words, int? JudgePercent = null)
{
    public static ModelBehavior Parse(string model)
    {
        int? status = null;
        var delay = 0;
        int? failAfter = null;
        int? words = null;
        int? judge = null;
        var name = model.AsSpan();
        foreach (var range in name.Split('+'))
        {
            var token = name[range].Trim();
            if (TryNumber(token, "status-", out var code) && code is >= 400 and <= 599)
            {
                status = code;
            }
            else if (TryNumber(token, "delay-", out var milliseconds))
            {
                delay = milliseconds;
            }
            else if (TryNumber(token, "fail-after-", out var chunks))
            {
                failAfter = chunks;
            }
            else if (TryNumber(token, "words-", out var count))
            {
                words = count;
            }
            else if (TryNumber(token, "judge-", out var percent) && percent <= 100)
            {
                judge = percent;
            }
        }

        return new ModelBehavior(status, delay, failAfter, words, judge);
    }

    private static bool TryNumber(ReadOnlySpan<char> token, string prefix, out int value)
    {
        value = 0;
        return token.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && int.TryParse(token[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}

using System.Text;
using System.Text.Json;
using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.Evals.Core.Reports;

/// <summary>
/// A sample's assertion results as the JSON object ai_eval_samples.scores holds:
/// {name: {type, passed, score, reason}}, names in ordinal order.
/// </summary>
/// <remarks>
/// jsonb refuses \u0000 and a lone surrogate cannot be written as UTF-8, so both become U+FFFD in
/// names, types and reasons. That loss is accepted: these are human-readable explanations, not
/// data (the exact output is kept in ai_eval_samples.output, see <see cref="TextCodec"/>).
/// </remarks>
public static class ScoresJson
{
    public static string Serialize(IReadOnlyDictionary<string, AssertionResult> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, SnakeCaseJson.WriterOptions))
        {
            WriteTo(writer, scores);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static Dictionary<string, AssertionResult> Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }

    /// <summary>Writes the scores object into a writer that is mid-document.</summary>
    internal static void WriteTo(Utf8JsonWriter writer, IReadOnlyDictionary<string, AssertionResult> scores)
    {
        writer.WriteStartObject();
        foreach (var (name, result) in scores.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject(Storable(name));
            writer.WriteString("type", Storable(result.Type));
            writer.WriteBoolean("passed", result.Passed);
            writer.WriteNumber("score", result.Score);
            writer.WriteString("reason", Storable(result.Reason));
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    internal static Dictionary<string, AssertionResult> Read(JsonElement scores)
    {
        if (scores.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"scores must be a JSON object, not {scores.ValueKind}");
        }

        var results = new Dictionary<string, AssertionResult>(StringComparer.Ordinal);
        foreach (var entry in scores.EnumerateObject())
        {
            var value = entry.Value;
            results[entry.Name] = new AssertionResult(
                value.GetProperty("type").GetString() ?? "",
                value.GetProperty("passed").GetBoolean(),
                value.GetProperty("score").GetDouble(),
                value.GetProperty("reason").GetString() ?? "");
        }

        return results;
    }

    /// <summary>The text with NULs and lone surrogates as U+FFFD.</summary>
    internal static string Storable(string text)
    {
        if (!TextCodec.NeedsEscaping(text))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (chars[i] == '\0' || char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }
}

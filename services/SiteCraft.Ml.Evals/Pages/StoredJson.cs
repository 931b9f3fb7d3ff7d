using System.Text.Json;

namespace SiteCraft.Ml.Evals.Pages;

/// <summary>
/// Reads the jsonb columns the pages show (gate reasons, per-assertion scores) without trusting
/// their shape: another writer may have stored anything that is valid JSON.
/// </summary>
internal static class StoredJson
{
    /// <summary>A failed assertion as ai_eval_samples.scores holds it.</summary>
    public sealed record FailedAssertion(string Name, string? Type, double? Score, string? Reason);

    /// <summary>Each reason as text: strings as they are, anything else as its JSON.</summary>
    public static IReadOnlyList<string> Reasons(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? [.. document.RootElement.EnumerateArray().Select(Text)]
            : [Text(document.RootElement)];
    }

    /// <summary>The entries of {name: {"type", "passed", "score", "reason"}} whose "passed" is not true.</summary>
    public static IReadOnlyList<FailedAssertion> FailedAssertions(string scoresJson)
    {
        using var document = JsonDocument.Parse(scoresJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var failed = new List<FailedAssertion>();
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            var value = entry.Value;
            if (value.ValueKind != JsonValueKind.Object)
            {
                failed.Add(new FailedAssertion(entry.Name, null, null, Text(value)));
                continue;
            }

            if (value.TryGetProperty("passed", out var passed) && passed.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            failed.Add(new FailedAssertion(
                entry.Name,
                value.TryGetProperty("type", out var type) ? Text(type) : null,
                value.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number ? score.GetDouble() : null,
                value.TryGetProperty("reason", out var reason) ? Text(reason) : null));
        }

        return failed;
    }

    private static string Text(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString() ?? "" : element.GetRawText();
}

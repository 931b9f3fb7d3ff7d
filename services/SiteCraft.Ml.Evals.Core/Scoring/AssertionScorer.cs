using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace SiteCraft.Ml.Evals.Core.Scoring;

/// <summary>
/// Deterministic, reference-free or reference-based scoring of one output. An output an assertion
/// cannot read (not JSON for json-schema, say) fails that assertion with the reason; nothing here
/// throws on any output.
/// </summary>
public static class AssertionScorer
{
    public const string NotPrefix = "not-";

    public static IReadOnlyList<string> Types { get; } =
        ["equals", "contains", "icontains", "contains-any", "contains-all", "regex", "is-json", "json-schema", "length", "rouge-l", "f1"];

    private static readonly TimeSpan s_regexTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonSchema> s_schemas = new(StringComparer.Ordinal);

    /// <summary>Why the assertion cannot be scored (unknown type, missing value, bad pattern or schema), naming the field; null when it is usable.</summary>
    public static string? Problem(Assertion assertion)
    {
        var type = BaseType(assertion.Type);
        if (!Types.Contains(type))
        {
            return $"type: '{assertion.Type}' is not one of {string.Join(", ", Types)} (optionally with the prefix not-)";
        }

        if (type is "equals" or "contains" or "icontains" or "regex" or "rouge-l" or "f1" && assertion.Value is null)
        {
            return $"value: {type} needs a value";
        }

        if (type is "contains-any" or "contains-all" && (assertion.Values is null || assertion.Values.Count == 0))
        {
            return $"values: {type} needs at least one value";
        }

        if (type == "length" && assertion.Min is null && assertion.Max is null)
        {
            return "min/max: length needs at least one bound";
        }

        if (type == "regex")
        {
            try
            {
                _ = new Regex(assertion.Value!, RegexOptions.None, s_regexTimeout);
            }
            catch (ArgumentException e)
            {
                return $"value: not a regular expression ({e.Message})";
            }
        }

        if (type == "json-schema")
        {
            if (assertion.Schema is null)
            {
                return "schema: json-schema needs a schema";
            }

            try
            {
                _ = SchemaOf(assertion.Schema);
            }
            catch (Exception e) when (e is JsonException or JsonSchemaException or InvalidOperationException or ArgumentException)
            {
                return $"schema: not a JSON Schema ({e.Message})";
            }
        }

        return assertion.Weight < 0 || assertion.Threshold is < 0 or > 1 ? "weight must be ≥ 0 and threshold in [0, 1]" : null;
    }

    /// <summary>Scores one output. The assertion must have no <see cref="Problem"/>.</summary>
    public static AssertionResult Score(Assertion assertion, string output)
    {
        var negated = assertion.Type.StartsWith(NotPrefix, StringComparison.Ordinal);
        var (score, reason) = ScoreBase(BaseType(assertion.Type), assertion, output ?? string.Empty);
        var passed = score >= assertion.Threshold;
        return negated
            ? new AssertionResult(assertion.Type, !passed, passed ? 0 : 1, passed ? $"expected not: {reason}" : $"as expected, not: {reason}")
            : new AssertionResult(assertion.Type, passed, score, reason);
    }

    /// <summary>
    /// Parsed once per distinct text, each in its own registry: JSON Schema's global registry
    /// refuses a second schema with the same $id, and every use case schema has one.
    /// </summary>
    private static JsonSchema SchemaOf(string text) =>
        s_schemas.GetOrAdd(text, static t => JsonSchema.FromText(t, new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static string BaseType(string type) => type.StartsWith(NotPrefix, StringComparison.Ordinal) ? type[NotPrefix.Length..] : type;

    private static (double Score, string Reason) ScoreBase(string type, Assertion a, string output)
    {
        switch (type)
        {
            case "equals":
                return Binary(output == a.Value, "output equals the expected text", $"output differs from the expected text at character {FirstDifference(output, a.Value!)}");
            case "contains":
                return Binary(output.Contains(a.Value!, StringComparison.Ordinal), $"output contains '{a.Value}'", $"output does not contain '{a.Value}'");
            case "icontains":
                return Binary(output.Contains(a.Value!, StringComparison.OrdinalIgnoreCase), $"output contains '{a.Value}' (any case)", $"output does not contain '{a.Value}' in any case");
            case "contains-any":
                var any = a.Values!.FirstOrDefault(v => output.Contains(v, StringComparison.Ordinal));
                return Binary(any is not null, $"output contains '{any}'", $"output contains none of {string.Join(", ", a.Values!.Select(v => $"'{v}'"))}");
            case "contains-all":
                var missing = a.Values!.Where(v => !output.Contains(v, StringComparison.Ordinal)).ToList();
                return Binary(missing.Count == 0, "output contains every value", $"output lacks {string.Join(", ", missing.Select(v => $"'{v}'"))}");
            case "regex":
                try
                {
                    return Binary(Regex.IsMatch(output, a.Value!, RegexOptions.None, s_regexTimeout), $"output matches /{a.Value}/", $"output does not match /{a.Value}/");
                }
                catch (RegexMatchTimeoutException)
                {
                    return (0, FormattableString.Invariant($"matching /{a.Value}/ took over {s_regexTimeout.TotalMilliseconds:0} ms"));
                }

            case "is-json":
                return JsonProblem(output) is { } notJson ? (0, notJson) : (1, "output is JSON");
            case "json-schema":
                return SchemaScore(a.Schema!, output);
            case "length":
                var length = output.Length;
                var within = (a.Min is null || length >= a.Min) && (a.Max is null || length <= a.Max);
                var bounds = FormattableString.Invariant($"[{a.Min ?? 0}, {(a.Max is { } max ? max.ToString(CultureInfo.InvariantCulture) : "∞")}]");
                return Binary(within, FormattableString.Invariant($"length {length} is within {bounds}"), FormattableString.Invariant($"length {length} is outside {bounds}"));
            case "rouge-l":
                var rouge = TextSimilarity.RougeL(output, a.Value!);
                return (rouge, FormattableString.Invariant($"ROUGE-L F = {rouge:F3} against the reference (threshold {a.Threshold:F2})"));
            case "f1":
                var f1 = TextSimilarity.TokenF1(output, a.Value!);
                return (f1, FormattableString.Invariant($"token F1 = {f1:F3} against the reference (threshold {a.Threshold:F2})"));
            default:
                return (0, $"unknown assertion type '{type}'");
        }
    }

    private static (double, string) Binary(bool passed, string yes, string no) => passed ? (1, yes) : (0, no);

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    private static string? JsonProblem(string output)
    {
        try
        {
            using var _ = JsonDocument.Parse(output);
            return null;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // ArgumentException / InvalidOperationException: text that is not even valid UTF-16 (a lone surrogate).
            return $"output is not JSON: {e.Message}";
        }
    }

    private static (double, string) SchemaScore(string schemaText, string output)
    {
        if (JsonProblem(output) is { } notJson)
        {
            return (0, notJson);
        }

        using var document = JsonDocument.Parse(output);
        var result = SchemaOf(schemaText).Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return (1, "output validates against the schema");
        }

        var first = result.Details?.FirstOrDefault(d => d.Errors is { Count: > 0 });
        return (0, first is null ? "output does not validate against the schema" : $"{first.InstanceLocation}: {string.Join("; ", first.Errors!.Values)}");
    }
}

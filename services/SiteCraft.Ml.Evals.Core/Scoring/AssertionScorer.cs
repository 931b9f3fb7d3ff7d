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
/// <remarks>
/// Some failures are not the output's fault but mean the assertion could not be applied at all
/// (the path is missing, no latency was measured, an llm-judge asked of this class): those fail
/// whether or not the assertion is negated, so <c>not-latency</c> never passes on a sample nobody
/// timed.
/// </remarks>
public static class AssertionScorer
{
    public const string NotPrefix = "not-";

    public static IReadOnlyList<string> Types { get; } =
    [
        "equals", "contains", "icontains", "contains-any", "contains-all", "regex", "is-json", "json-schema", "html",
        "length", "rouge-l", "f1", "bleu", "latency", "cost", "llm-judge",
    ];

    /// <summary>The types compared with a reference text; in a suite their value defaults to the case's expected output.</summary>
    public static IReadOnlyList<string> ReferenceTypes { get; } = ["equals", "rouge-l", "f1", "bleu"];

    private static readonly EvaluationOptions s_flag = new() { OutputFormat = OutputFormat.Flag };
    private static readonly EvaluationOptions s_list = new() { OutputFormat = OutputFormat.List };
    private static readonly TimeSpan s_regexTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonSchema> s_schemas = new(StringComparer.Ordinal);

    /// <summary>The type without its <c>not-</c> prefix.</summary>
    public static string BaseType(string type) => type.StartsWith(NotPrefix, StringComparison.Ordinal) ? type[NotPrefix.Length..] : type;

    /// <summary>Why the assertion cannot be scored (unknown type, missing value, bad pattern or schema), naming the field; null when it is usable.</summary>
    public static string? Problem(Assertion assertion)
    {
        var type = BaseType(assertion.Type);
        if (!Types.Contains(type))
        {
            return $"type: '{assertion.Type}' is not one of {string.Join(", ", Types)} (optionally with the prefix not-)";
        }

        return FieldProblem(type, assertion) ?? CommonProblem(type, assertion);
    }

    /// <summary>Scores one output with nothing measured: a latency or cost assertion fails for want of a measurement.</summary>
    public static AssertionResult Score(Assertion assertion, string output) => Score(assertion, output, default);

    /// <summary>Scores one output and its measurements. The assertion must have no <see cref="Problem"/>; llm-judge is scored by <see cref="SampleScorer"/>.</summary>
    public static AssertionResult Score(Assertion assertion, string output, SampleMeasurements measurements)
    {
        var type = BaseType(assertion.Type);
        Outcome outcome;
        if (type is "latency" or "cost" or "llm-judge")
        {
            outcome = ScoreMeasured(type, assertion, measurements);
        }
        else if (!TryTarget(assertion, output ?? string.Empty, out var target, out var unreadable))
        {
            outcome = Outcome.NotApplicable(unreadable);
        }
        else
        {
            outcome = ScoreText(type, assertion, target);
        }

        return Result(assertion, outcome);
    }

    /// <summary>
    /// The text an assertion reads: the whole output, or with <see cref="Assertion.Path"/> the value
    /// there (a JSON string as its text, any other value as its JSON). False, with the reason, when
    /// the output is not JSON or has no value at the path.
    /// </summary>
    public static bool TryTarget(Assertion assertion, string output, out string target, out string problem)
    {
        target = output;
        problem = string.Empty;
        if (assertion.Path is not { } path)
        {
            return true;
        }

        if (ParseProblem(output, out var document) is { } notJson)
        {
            problem = $"output is not JSON ({notJson})";
            return false;
        }

        using (document)
        {
            if (!JsonPointer.TryResolve(document!.RootElement, path, out var value))
            {
                problem = $"no value at {path}";
                return false;
            }

            try
            {
                target = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                return true;
            }
            catch (InvalidOperationException e)
            {
                // An escaped lone surrogate ("\ud800") is valid JSON but not text.
                problem = $"the value at {path} is not text ({e.Message})";
                return false;
            }
        }
    }

    /// <summary>Applies the threshold and negation to a score; shared with the judge's verdicts.</summary>
    internal static AssertionResult Result(Assertion assertion, Outcome outcome)
    {
        if (!outcome.Applicable)
        {
            return new AssertionResult(assertion.Type, false, 0, outcome.Reason);
        }

        var passed = outcome.Score >= assertion.Threshold;
        return assertion.Type.StartsWith(NotPrefix, StringComparison.Ordinal)
            ? new AssertionResult(assertion.Type, !passed, passed ? 0 : 1, passed ? $"expected not: {outcome.Reason}" : $"as expected, not: {outcome.Reason}")
            : new AssertionResult(assertion.Type, passed, outcome.Score, outcome.Reason);
    }

    private static string? FieldProblem(string type, Assertion a)
    {
        switch (type)
        {
            case "equals" or "contains" or "icontains" or "regex" or "rouge-l" or "f1" or "bleu" when a.Value is null:
                return $"value: {type} needs a value";
            case "contains-any" or "contains-all" when a.Values is null || a.Values.Count == 0:
                return $"values: {type} needs at least one value";
            case "length" when a.Min is null && a.Max is null:
                return "min/max: length needs at least one bound";
            case "length" when a.Min < 0 || a.Max < 0 || a.Min > a.Max:
                return "min/max: length needs 0 ≤ min ≤ max";
            case "regex":
                try
                {
                    _ = new Regex(a.Value!, RegexOptions.None, s_regexTimeout);
                    return null;
                }
                catch (ArgumentException e)
                {
                    return $"value: not a regular expression ({e.Message})";
                }

            case "json-schema" when a.Schema is null:
                return "schema: json-schema needs a schema";
            case "json-schema":
                try
                {
                    _ = SchemaOf(a.Schema);
                    return null;
                }
                catch (Exception e) when (e is JsonException or JsonSchemaException or InvalidOperationException or ArgumentException or KeyNotFoundException)
                {
                    return $"schema: not a JSON Schema ({e.Message})";
                }

            case "latency" when a.MaxMs is not (> 0) || !double.IsFinite(a.MaxMs.Value):
                return "max_ms: latency needs max_ms > 0";
            case "cost" when a.MaxUsd is not (>= 0):
                return "max_usd: cost needs max_usd ≥ 0";
            case "llm-judge" when string.IsNullOrWhiteSpace(a.Rubric):
                return "rubric: llm-judge needs a rubric";
            case "llm-judge" when a.Judge is { } judge && judge.Split('/') is not [{ Length: > 0 }, { Length: > 0 }, ..]:
                return $"judge: '{judge}' is not provider/model";
            default:
                return null;
        }
    }

    private static string? CommonProblem(string type, Assertion a)
    {
        if (a.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Trim() != name))
        {
            return $"name: '{name}' must be non-empty without surrounding spaces";
        }

        if (a.Path is { } path)
        {
            if (type is "latency" or "cost")
            {
                return $"path: {type} does not read the output, so it takes no path";
            }

            if (JsonPointer.Problem(path) is { } badPointer)
            {
                return $"path: {badPointer}";
            }
        }

        if (!double.IsFinite(a.Weight) || a.Weight < 0)
        {
            return "weight: must be ≥ 0";
        }

        return a.Threshold is >= 0 and <= 1 ? null : "threshold: must be in [0, 1]";
    }

    /// <summary>
    /// Parsed once per distinct text, each in its own registry: JSON Schema's global registry
    /// refuses a second schema with the same $id, and every use case schema has one.
    /// </summary>
    private static JsonSchema SchemaOf(string text) =>
        s_schemas.GetOrAdd(text, static t => JsonSchema.FromText(t, new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static Outcome ScoreMeasured(string type, Assertion a, SampleMeasurements measurements)
    {
        switch (type)
        {
            case "latency" when measurements.LatencyMs is not { } latency || !double.IsFinite(latency):
                return Outcome.NotApplicable("no latency was measured for this sample");
            case "latency" when a.MaxMs is not { } maxMs:
                return Outcome.NotApplicable("latency needs max_ms");
            case "latency":
                var fast = measurements.LatencyMs <= a.MaxMs;
                var latencyText = FormattableString.Invariant($"latency {measurements.LatencyMs:0.#} ms");
                return Binary(fast, FormattableString.Invariant($"{latencyText} is within max_ms {a.MaxMs:0.#}"), FormattableString.Invariant($"{latencyText} exceeds max_ms {a.MaxMs:0.#}"));
            case "cost" when measurements.CostUsd is null:
                return Outcome.NotApplicable("no cost was measured for this sample");
            case "cost" when a.MaxUsd is null:
                return Outcome.NotApplicable("cost needs max_usd");
            case "cost":
                var cheap = measurements.CostUsd <= a.MaxUsd;
                var costText = FormattableString.Invariant($"cost ${measurements.CostUsd}");
                return Binary(cheap, FormattableString.Invariant($"{costText} is within max_usd {a.MaxUsd}"), FormattableString.Invariant($"{costText} exceeds max_usd {a.MaxUsd}"));
            default:
                return Outcome.NotApplicable("llm-judge is graded by a judge model (SampleScorer with verdicts), not by AssertionScorer");
        }
    }

    private static Outcome ScoreText(string type, Assertion a, string output)
    {
        switch (type)
        {
            case "equals":
                return Binary(output == a.Value, "output equals the expected text", $"output differs from the expected text at character {FirstDifference(output, a.Value ?? string.Empty)}");
            case "contains":
                return Binary(output.Contains(a.Value ?? string.Empty, StringComparison.Ordinal), $"output contains '{a.Value}'", $"output does not contain '{a.Value}'");
            case "icontains":
                return Binary(output.Contains(a.Value ?? string.Empty, StringComparison.OrdinalIgnoreCase), $"output contains '{a.Value}' (any case)", $"output does not contain '{a.Value}' in any case");
            case "contains-any":
                var values = a.Values ?? [];
                var any = values.FirstOrDefault(v => output.Contains(v, StringComparison.Ordinal));
                return Binary(any is not null, $"output contains '{any}'", $"output contains none of {string.Join(", ", values.Select(v => $"'{v}'"))}");
            case "contains-all":
                var missing = (a.Values ?? []).Where(v => !output.Contains(v, StringComparison.Ordinal)).ToList();
                return Binary(missing.Count == 0, "output contains every value", $"output lacks {string.Join(", ", missing.Select(v => $"'{v}'"))}");
            case "regex":
                try
                {
                    return Binary(Regex.IsMatch(output, a.Value ?? string.Empty, RegexOptions.None, s_regexTimeout), $"output matches /{a.Value}/", $"output does not match /{a.Value}/");
                }
                catch (RegexMatchTimeoutException)
                {
                    return new(0, FormattableString.Invariant($"matching /{a.Value}/ took over {s_regexTimeout.TotalMilliseconds:0} ms"));
                }
                catch (ArgumentException e)
                {
                    return Outcome.NotApplicable($"value: not a regular expression ({e.Message})");
                }

            case "is-json":
                if (ParseProblem(output, out var document) is { } notJson)
                {
                    return new(0, $"output is not JSON: {notJson}");
                }

                document!.Dispose();
                return new(1, "output is JSON");
            case "json-schema":
                return SchemaScore(a.Schema, output);
            case "html":
                return HtmlWellFormedness.Problem(output) is { } malformed ? new(0, $"output is not well-formed HTML: {malformed}") : new(1, "output is well-formed HTML");
            case "length":
                var length = output.Length;
                var within = (a.Min is null || length >= a.Min) && (a.Max is null || length <= a.Max);
                var bounds = FormattableString.Invariant($"[{a.Min ?? 0}, {(a.Max is { } max ? max.ToString(CultureInfo.InvariantCulture) : "∞")}]");
                return Binary(within, FormattableString.Invariant($"length {length} is within {bounds}"), FormattableString.Invariant($"length {length} is outside {bounds}"));
            case "rouge-l":
                var rouge = TextSimilarity.RougeL(output, a.Value ?? string.Empty);
                return new(rouge, FormattableString.Invariant($"ROUGE-L F = {rouge:F3} against the reference (threshold {a.Threshold:F2})"));
            case "f1":
                var f1 = TextSimilarity.TokenF1(output, a.Value ?? string.Empty);
                return new(f1, FormattableString.Invariant($"token F1 = {f1:F3} against the reference (threshold {a.Threshold:F2})"));
            case "bleu":
                var bleu = TextSimilarity.Bleu(output, a.Value ?? string.Empty);
                return new(bleu, FormattableString.Invariant($"BLEU-4 = {bleu:F3} against the reference (threshold {a.Threshold:F2})"));
            default:
                return Outcome.NotApplicable($"unknown assertion type '{type}'");
        }
    }

    private static Outcome Binary(bool passed, string yes, string no) => passed ? new(1, yes) : new(0, no);

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    /// <summary>Why the text is not JSON, or null with the parsed document (the caller disposes it).</summary>
    private static string? ParseProblem(string output, out JsonDocument? document)
    {
        try
        {
            document = JsonDocument.Parse(output);
            return null;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // ArgumentException / InvalidOperationException: text that is not even valid UTF-16 (a lone surrogate).
            document = null;
            return e.Message;
        }
    }

    private static Outcome SchemaScore(string? schemaText, string output)
    {
        if (schemaText is null)
        {
            return Outcome.NotApplicable("schema: json-schema needs a schema");
        }

        if (ParseProblem(output, out var document) is { } notJson)
        {
            return new(0, $"output is not JSON: {notJson}");
        }

        using (document)
        {
            EvaluationResults result;
            try
            {
                // Most outputs validate: the flag answer allocates nothing for them; only a failure is
                // evaluated again with details, for the reason.
                var schema = SchemaOf(schemaText);
                result = schema.Evaluate(document!.RootElement, s_flag);
                if (!result.IsValid)
                {
                    result = schema.Evaluate(document.RootElement, s_list);
                }
            }
            catch (Exception e) when (e is JsonException or JsonSchemaException or InvalidOperationException or ArgumentException or KeyNotFoundException)
            {
                return Outcome.NotApplicable($"schema: not a JSON Schema ({e.Message})");
            }

            if (result.IsValid)
            {
                return new(1, "output validates against the schema");
            }

            var first = result.Details?.FirstOrDefault(d => d.Errors is { Count: > 0 });
            return new(0, first is null ? "output does not validate against the schema" : $"{first.InstanceLocation}: {string.Join("; ", first.Errors!.Values)}");
        }
    }

    /// <summary>A score in [0, 1] and its reason; not applicable when the assertion could not be applied at all.</summary>
    internal readonly record struct Outcome(double Score, string Reason, bool Applicable = true)
    {
        public static Outcome NotApplicable(string reason) => new(0, reason, false);
    }
}

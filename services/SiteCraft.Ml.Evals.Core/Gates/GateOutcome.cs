using System.Text;
using System.Text.Json;
using SiteCraft.Ml.Evals.Core.Runs;

namespace SiteCraft.Ml.Evals.Core.Gates;

/// <summary>A gate decision: passed when every rule passed.</summary>
/// <param name="Passed">Every rule passed.</param>
/// <param name="Rules">Each checked rule's verdict, in policy order.</param>
/// <param name="Metrics">The run's (and comparison's) numbers the decision rests on; null where not measured.</param>
public sealed record GateOutcome(bool Passed, IReadOnlyList<GateRule> Rules, IReadOnlyList<KeyValuePair<string, double?>> Metrics)
{
    public const string PassRateLowerBound = "pass_rate_lower_bound";
    public const string NonInferiority = "non_inferiority";
    public const string MaxErrorRate = "max_error_rate";
    public const string P95LatencyMs = "p95_latency_ms";
    public const string CostUsdPerSample = "cost_usd_per_sample";
    public const string MinSamples = "min_samples";

    /// <summary>The rules as a JSON array of {rule, passed, actual, threshold, message} (ai_eval_gates.reasons).</summary>
    public string ReasonsJson() => Json(writer =>
    {
        writer.WriteStartArray();
        foreach (var rule in Rules)
        {
            writer.WriteStartObject();
            writer.WriteString("rule", rule.Rule);
            writer.WriteBoolean("passed", rule.Passed);
            WriteNumber(writer, "actual", rule.Actual);
            WriteNumber(writer, "threshold", rule.Threshold);
            writer.WriteString("message", rule.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    /// <summary>The metrics as a JSON object (ai_eval_gates.metrics).</summary>
    public string MetricsJson() => Json(writer =>
    {
        writer.WriteStartObject();
        foreach (var (name, value) in Metrics)
        {
            WriteNumber(writer, name, value);
        }

        writer.WriteEndObject();
    });

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number && double.IsFinite(number))
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, SnakeCaseJson.WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

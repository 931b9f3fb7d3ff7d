using System.Text.Json;
using System.Text.Json.Nodes;
using SiteCraft.Ml.Evals.Core.Runs;

namespace SiteCraft.Ml.Evals.Core.Reports;

/// <summary>Reads what <see cref="RunReportWriter"/> wrote, undoing the output/error escaping.</summary>
/// <remarks>
/// It parses into a <see cref="JsonDocument"/>, which keeps the UTF-8 bytes and a compact token
/// index in pooled memory (no object per node), so a 10,000-sample report reads in one pass.
/// </remarks>
public static class RunReportReader
{
    /// <exception cref="JsonException">The stream is not a run report of this format.</exception>
    public static async Task<RunReport> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var root = document.RootElement;
        var format = root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        if (format != RunReport.FormatId)
        {
            throw new JsonException($"not a run report: format is '{format}', expected '{RunReport.FormatId}'");
        }

        var run = ReadRun(root.GetProperty("run"));
        var aggregates = RunAggregates.Normalized(root.GetProperty("aggregates").Deserialize<RunAggregates>(SnakeCaseJson.Options));
        var samples = new List<EvalSample>(root.GetProperty("samples").GetArrayLength());
        foreach (var sample in root.GetProperty("samples").EnumerateArray())
        {
            samples.Add(ReadSample(sample));
        }

        return new RunReport(run, aggregates, samples);
    }

    private static EvalRun ReadRun(JsonElement run) => new(
        run.GetProperty("run_id").GetGuid(),
        run.GetProperty("use_case").GetString() ?? throw new JsonException("the run has no use_case"),
        Text(run, "suite_id"),
        Text(run, "suite_hash"),
        Text(run, "target_provider"),
        Text(run, "target_model"),
        Int(run, "target_policy_version"),
        Text(run, "environment"),
        run.GetProperty("status").GetString() ?? throw new JsonException("the run has no status"),
        run.GetProperty("repeats").GetInt32(),
        run.GetProperty("baseline_run_id") is { ValueKind: JsonValueKind.String } baseline ? baseline.GetGuid() : null,
        Text(run, "git_sha"),
        run.GetProperty("created_at").GetDateTimeOffset(),
        Time(run, "started_at"),
        Time(run, "completed_at"),
        Object(run, "params"),
        Object(run, "metadata"));

    private static EvalSample ReadSample(JsonElement sample)
    {
        var (output, error) = TextCodec.UnescapeSample(Text(sample, "output"), Text(sample, "error"), sample.GetProperty("escaped").GetBoolean());
        return new EvalSample(
            sample.GetProperty("case_id").GetString() ?? throw new JsonException("a sample has no case_id"),
            sample.GetProperty("repeat").GetInt32(),
            output,
            sample.GetProperty("passed") is { ValueKind: JsonValueKind.True or JsonValueKind.False } passed ? passed.GetBoolean() : null,
            Double(sample, "score"),
            ScoresJson.Read(sample.GetProperty("scores")),
            error,
            Double(sample, "latency_ms"),
            sample.GetProperty("cost_usd") is { ValueKind: JsonValueKind.Number } cost ? cost.GetDecimal() : null,
            Int(sample, "input_tokens"),
            Int(sample, "output_tokens"),
            sample.GetProperty("cached").GetBoolean(),
            Text(sample, "cluster_id"),
            Time(sample, "created_at"));
    }

    private static string? Text(JsonElement element, string name) =>
        element.GetProperty(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static int? Int(JsonElement element, string name) =>
        element.GetProperty(name) is { ValueKind: JsonValueKind.Number } value ? value.GetInt32() : null;

    private static double? Double(JsonElement element, string name) =>
        element.GetProperty(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.GetProperty(name) is { ValueKind: JsonValueKind.String } value ? value.GetDateTimeOffset() : null;

    private static JsonObject Object(JsonElement element, string name) =>
        JsonNode.Parse(element.GetProperty(name).GetRawText()) as JsonObject ?? throw new JsonException($"the run's {name} is not a JSON object");
}

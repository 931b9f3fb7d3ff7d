using System.Text.Json;
using SiteCraft.Ml.Evals.Core.Runs;

namespace SiteCraft.Ml.Evals.Core.Reports;

/// <summary>
/// Writes a <see cref="RunReport"/> as JSON, streaming: samples go out as they are enumerated,
/// so a run of any size takes the memory of one buffer. Output and error follow the
/// <see cref="TextCodec"/> rule, because System.Text.Json would turn a lone surrogate into U+FFFD.
/// </summary>
public static class RunReportWriter
{
    // Flush to the stream whenever this much is buffered: big enough for few writes, small enough to stay out of the LOH.
    private const int FlushThreshold = 64 * 1024;

    public static async Task WriteAsync(Stream stream, EvalRun run, RunAggregates aggregates, IEnumerable<EvalSample> samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(aggregates);
        ArgumentNullException.ThrowIfNull(samples);

        await using var writer = new Utf8JsonWriter(stream, SnakeCaseJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("format", RunReport.FormatId);
        writer.WritePropertyName("run");
        WriteRun(writer, run);
        writer.WritePropertyName("aggregates");
        aggregates.WriteTo(writer);
        writer.WriteStartArray("samples");
        foreach (var sample in samples)
        {
            WriteSample(writer, sample);
            if (writer.BytesPending >= FlushThreshold)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    private static void WriteRun(Utf8JsonWriter writer, EvalRun run)
    {
        writer.WriteStartObject();
        writer.WriteString("run_id", run.RunId);
        writer.WriteString("use_case", run.UseCase);
        writer.WriteString("suite_id", run.SuiteId);
        writer.WriteString("suite_hash", run.SuiteHash);
        writer.WriteString("target_provider", run.TargetProvider);
        writer.WriteString("target_model", run.TargetModel);
        WriteNumber(writer, "target_policy_version", run.TargetPolicyVersion);
        writer.WriteString("environment", run.Environment);
        writer.WriteString("status", run.Status);
        writer.WriteNumber("repeats", run.Repeats);
        if (run.BaselineRunId is { } baseline)
        {
            writer.WriteString("baseline_run_id", baseline);
        }
        else
        {
            writer.WriteNull("baseline_run_id");
        }

        writer.WriteString("git_sha", run.GitSha);
        writer.WriteString("created_at", run.CreatedAt);
        WriteTime(writer, "started_at", run.StartedAt);
        WriteTime(writer, "completed_at", run.CompletedAt);
        writer.WritePropertyName("params");
        run.Params.WriteTo(writer);
        writer.WritePropertyName("metadata");
        run.Metadata.WriteTo(writer);
        writer.WriteEndObject();
    }

    private static void WriteSample(Utf8JsonWriter writer, EvalSample sample)
    {
        var (output, error, escaped) = TextCodec.EscapeSample(sample.Output, sample.Error);
        writer.WriteStartObject();
        writer.WriteString("case_id", sample.CaseId);
        writer.WriteNumber("repeat", sample.Repeat);
        writer.WriteString("cluster_id", sample.ClusterId);
        writer.WriteString("output", output);
        writer.WriteString("error", error);
        writer.WriteBoolean("escaped", escaped);
        if (sample.Passed is { } passed)
        {
            writer.WriteBoolean("passed", passed);
        }
        else
        {
            writer.WriteNull("passed");
        }

        WriteNumber(writer, "score", sample.Score);
        writer.WritePropertyName("scores");
        ScoresJson.WriteTo(writer, sample.Scores);
        WriteNumber(writer, "latency_ms", sample.LatencyMs);
        if (sample.CostUsd is { } cost)
        {
            writer.WriteNumber("cost_usd", cost);
        }
        else
        {
            writer.WriteNull("cost_usd");
        }

        WriteNumber(writer, "input_tokens", sample.InputTokens);
        WriteNumber(writer, "output_tokens", sample.OutputTokens);
        writer.WriteBoolean("cached", sample.Cached);
        WriteTime(writer, "created_at", sample.CreatedAt);
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}

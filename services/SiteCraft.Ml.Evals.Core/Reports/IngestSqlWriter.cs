using System.Globalization;
using System.Text.Json.Nodes;
using SiteCraft.Ml.Evals.Core.Runs;

namespace SiteCraft.Ml.Evals.Core.Reports;

/// <summary>
/// Writes a run and its samples as a self-contained SQL script (eval_run_ingest.sql) that loads
/// them into an environment without the eval service: one transaction of upserts, so applying it
/// twice leaves the same rows as applying it once.
/// </summary>
/// <remarks>
/// Values are literals here because the script travels as a file; parameterized SQL is not an
/// option. Every text value is a standard-conforming single-quoted string with ' doubled (the
/// script turns standard_conforming_strings on, so a backslash is just a backslash); never E''
/// strings and never dollar quoting, which a value containing $tag$ could close. Output and error
/// follow the <see cref="TextCodec"/> rule, scores go through <see cref="ScoresJson"/>. Other text
/// columns cannot be escaped, so a NUL or lone surrogate there is refused before anything is written.
/// The script never deletes: samples stored earlier for the run under other (case, repeat) keys stay.
/// </remarks>
public static class IngestSqlWriter
{
    /// <summary>Rows per multi-row insert: large enough to be fast, small enough for any parser's patience.</summary>
    public const int BatchSize = 500;

    private const string RunColumns =
        "run_id, suite_id, suite_hash, use_case, target_provider, target_model, target_policy_version, environment, status, "
        + "repeats, params, baseline_run_id, error_rate, aggregates, metadata, git_sha, started_at, completed_at, created_at";

    private const string SampleColumns =
        "run_id, case_id, repeat, output, passed, score, scores, error, latency_ms, cost_usd, input_tokens, output_tokens, cached, created_at, escaped";

    /// <param name="writer">Where the script goes (written as UTF-8 by the caller's writer).</param>
    /// <param name="run">The run; its baseline is linked only if that run exists where the script is applied.</param>
    /// <param name="aggregates">The run's aggregates (ai_eval_runs.aggregates and error_rate).</param>
    /// <param name="samples">The samples; a sample without CreatedAt gets the run's created_at, as the column is not null.</param>
    /// <exception cref="ArgumentException">A value cannot be stored: see the message.</exception>
    public static void Write(TextWriter writer, EvalRun run, RunAggregates aggregates, IEnumerable<EvalSample> samples)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(aggregates);
        ArgumentNullException.ThrowIfNull(samples);
        Validate(run);

        var id = Uuid(run.RunId);
        writer.Write($"-- SiteCraft eval run {run.RunId:D}. One transaction of upserts: applying it again changes nothing.\n");
        writer.Write("begin;\n");
        writer.Write("set local standard_conforming_strings = on;\n\n");

        if (run.SuiteId is not null)
        {
            // The run's (suite_id, suite_hash) is a foreign key; an empty database gets a placeholder suite row.
            writer.Write("insert into ai_eval_suites (suite_id, content_hash, use_case, definition)\n");
            writer.Write($"values ({Text(run.SuiteId)}, {Text(run.SuiteHash)}, {Text(run.UseCase)}, '{{}}'::jsonb)\non conflict do nothing;\n\n");
        }

        writer.Write($"insert into ai_eval_runs ({RunColumns})\nvalues (");
        writer.Write(string.Join(", ",
            id, Text(run.SuiteId), Text(run.SuiteHash), Text(run.UseCase), Text(run.TargetProvider), Text(run.TargetModel),
            Int(run.TargetPolicyVersion), Text(run.Environment), Text(run.Status), Int(run.Repeats), Json(run.Params),
            "null", Double(aggregates.ErrorRate), Jsonb(aggregates.ToJson()), Json(run.Metadata), Text(run.GitSha),
            Time(run.StartedAt), Time(run.CompletedAt), Time(run.CreatedAt)));
        writer.Write(")\non conflict (run_id) do update set\n    ");
        writer.Write(string.Join(",\n    ", RunColumns.Split(", ").Skip(1).Select(c => $"{c} = excluded.{c}")));
        writer.Write(";\n\n");

        if (run.BaselineRunId is { } baseline)
        {
            // The baseline may not have been ingested here; link it only when it exists, as the foreign key demands.
            writer.Write($"update ai_eval_runs set baseline_run_id = {Uuid(baseline)}\nwhere run_id = {id} and exists (select 1 from ai_eval_runs where run_id = {Uuid(baseline)});\n\n");
        }

        var seen = new HashSet<(string, int)>();
        var batch = 0;
        foreach (var sample in samples)
        {
            if (!seen.Add((sample.CaseId, sample.Repeat)))
            {
                throw new ArgumentException($"case '{sample.CaseId}' repeat {sample.Repeat} is given twice", nameof(samples));
            }

            writer.Write(batch == 0 ? $"insert into ai_eval_samples ({SampleColumns})\nvalues\n    " : ",\n    ");
            writer.Write(SampleRow(id, sample, run.CreatedAt));
            if (++batch == BatchSize)
            {
                EndSampleBatch(writer);
                batch = 0;
            }
        }

        if (batch > 0)
        {
            EndSampleBatch(writer);
        }

        writer.Write("commit;\n");
    }

    private static void EndSampleBatch(TextWriter writer)
    {
        writer.Write("\non conflict (run_id, case_id, repeat) do update set\n    ");
        writer.Write(string.Join(",\n    ", SampleColumns.Split(", ").Skip(3).Select(c => $"{c} = excluded.{c}")));
        writer.Write(";\n\n");
    }

    private static string SampleRow(string runId, EvalSample sample, DateTimeOffset runCreatedAt)
    {
        Storable(sample.CaseId, "case_id");
        var (output, error, escaped) = TextCodec.EscapeSample(sample.Output, sample.Error);
        return "(" + string.Join(", ",
            runId, Text(sample.CaseId), Int(sample.Repeat), Text(output), Bool(sample.Passed), Double(sample.Score),
            Jsonb(ScoresJson.Serialize(sample.Scores)), Text(error), Double(sample.LatencyMs), Decimal(sample.CostUsd),
            Int(sample.InputTokens), Int(sample.OutputTokens), Bool(sample.Cached), Time(sample.CreatedAt ?? runCreatedAt),
            Bool(escaped)) + ")";
    }

    private static void Validate(EvalRun run)
    {
        if ((run.SuiteId is null) != (run.SuiteHash is null))
        {
            throw new ArgumentException("suite_id and suite_hash are both set or both null", nameof(run));
        }

        if (run.BaselineRunId == run.RunId)
        {
            throw new ArgumentException("a run cannot be its own baseline", nameof(run));
        }

        Storable(run.UseCase, "use_case");
        Storable(run.SuiteId, "suite_id");
        Storable(run.SuiteHash, "suite_hash");
        Storable(run.TargetProvider, "target_provider");
        Storable(run.TargetModel, "target_model");
        Storable(run.Environment, "environment");
        Storable(run.Status, "status");
        Storable(run.GitSha, "git_sha");
    }

    private static void Storable(string? value, string column)
    {
        if (value is not null && TextCodec.NeedsEscaping(value))
        {
            throw new ArgumentException($"{column} holds a NUL or a lone surrogate, which a Postgres text column cannot store");
        }
    }

    private static string Text(string? value) =>
        value is null ? "null" : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Json(JsonObject value) => Jsonb(value.ToJsonString(SnakeCaseJson.Options));

    private static string Jsonb(string json) => Text(json) + "::jsonb";

    private static string Uuid(Guid value) => $"'{value:D}'::uuid";

    private static string Int(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";

    private static string Bool(bool? value) => value switch { true => "true", false => "false", null => "null" };

    // "R" is the shortest text that reads back as the same double; Postgres parses float8 exactly as well.
    private static string Double(double? value) => value switch
    {
        null => "null",
        { } v when double.IsNaN(v) => "'NaN'::float8",
        { } v when double.IsPositiveInfinity(v) => "'Infinity'::float8",
        { } v when double.IsNegativeInfinity(v) => "'-Infinity'::float8",
        { } v => v.ToString("R", CultureInfo.InvariantCulture) + "::float8",
    };

    private static string Decimal(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";

    // Microseconds, Postgres's resolution, in UTC so the session time zone cannot change the instant.
    private static string Time(DateTimeOffset? value) =>
        value is { } time ? $"'{time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}+00'::timestamptz" : "null";
}

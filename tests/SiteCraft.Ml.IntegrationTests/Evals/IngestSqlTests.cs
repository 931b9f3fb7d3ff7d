using System.Text.Json.Nodes;
using Npgsql;
using SiteCraft.Ml.Evals.Core.Reports;
using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.IntegrationTests.Evals;

/// <summary>The ingest script on the real, migrated schema: exact rows, and idempotent.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class IngestSqlTests(PlatformFixture platform)
{
    private static readonly string[] s_hostile =
    [
        "it's \"quoted\"",
        @"back\slash \\ and \0 and \u0041 and \",
        "nul\0inside",
        "$$ dollar $$",
        "$tag$ closes $tag$",
        "'; drop table x; --",
        "emoji 😀 and 👍🏽",
        "lines\nand\r\nmore\ttabs",
        "lone high \uD800 here",
        "lone low \uDC00 there",
        new string('x', 100 * 1024) + "é",
        "",
    ];

    [Fact]
    public async Task Applying_the_script_twice_leaves_the_exact_same_rows()
    {
        await using var db = await platform.OpenDatabaseAsync();
        var run = Run(baseline: Guid.NewGuid());
        var samples = Samples();
        var aggregates = RunAggregator.Aggregate(samples, 0.5);
        var script = Script(run, aggregates, samples);

        await ApplyAsync(db, script);
        var (runOnce, samplesOnce) = (await RunRowAsync(db, run.RunId), await SampleRowsAsync(db, run.RunId));
        await ApplyAsync(db, script);
        var (runTwice, samplesTwice) = (await RunRowAsync(db, run.RunId), await SampleRowsAsync(db, run.RunId));

        Assert.Equal(runOnce, runTwice);
        Assert.Equal(samplesOnce, samplesTwice);
        Assert.Equal(samples.Count, samplesOnce.Count);
        foreach (var (sample, row) in samples.OrderBy(s => s.CaseId, StringComparer.Ordinal).ThenBy(s => s.Repeat).Zip(samplesOnce))
        {
            AssertStored(sample, row);
        }

        // The baseline was never ingested here, so the link is left null rather than breaking the foreign key.
        Assert.Null(runOnce.BaselineRunId);
        AssertStored(run, aggregates, runOnce);
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from ai_eval_suites where suite_id = $1 and content_hash = $2 and definition = '{}'", run.SuiteId!, run.SuiteHash!));
    }

    [Fact]
    public async Task The_baseline_is_linked_when_it_is_already_there()
    {
        await using var db = await platform.OpenDatabaseAsync();
        var baseline = Run(baseline: null);
        var candidate = Run(baseline: baseline.RunId) with { SuiteId = baseline.SuiteId, SuiteHash = baseline.SuiteHash };
        var samples = Samples();
        var aggregates = RunAggregator.Aggregate(samples, 0.5);

        await ApplyAsync(db, Script(baseline, aggregates, samples));
        await ApplyAsync(db, Script(candidate, aggregates, samples));

        Assert.Equal(baseline.RunId, (await RunRowAsync(db, candidate.RunId)).BaselineRunId);
        Assert.Equal(2L, await db.ScalarAsync<long>("select count(distinct run_id) from ai_eval_samples where run_id = any($1)", new[] { baseline.RunId, candidate.RunId }));
    }

    private static EvalRun Run(Guid? baseline)
    {
        var id = Guid.NewGuid();
        return new EvalRun(
            id,
            "site.seo.meta",
            $"it-ingest-{id:N}",
            Convert.ToHexStringLower(id.ToByteArray()) + Convert.ToHexStringLower(id.ToByteArray()),
            "test",
            "it's-a-model",
            3,
            "test-ingest",
            "completed",
            2,
            baseline,
            "5dee6e4",
            new DateTimeOffset(2026, 11, 27, 3, 0, 0, TimeSpan.Zero).AddTicks(1_234_560),
            new DateTimeOffset(2026, 11, 27, 3, 0, 1, TimeSpan.Zero),
            new DateTimeOffset(2026, 11, 27, 3, 5, 0, TimeSpan.Zero),
            new JsonObject { ["temperature"] = 0.2, ["system"] = "You write 'meta' \"tags\" $$" },
            new JsonObject { ["started_by"] = "integration-test" });
    }

    /// <summary>Per hostile text a judged repeat (the text as output) and an errored one (the text as error).</summary>
    private static List<EvalSample> Samples() =>
    [
        .. s_hostile.SelectMany((text, i) => new[]
        {
            new EvalSample($"case-{i:D2}", 0, text, i % 2 == 0, i / 16.0,
                new Dictionary<string, AssertionResult>
                {
                    ["contains"] = new("contains", i % 2 == 0, i % 2, "reason with 'quotes', $$ and a NUL \0 that becomes U+FFFD"),
                    ["latency"] = new("latency", true, 1, "fast"),
                },
                null, 12.5 + i, 0.00012345m * i, 100 + i, 20 + i, i % 3 == 0, null,
                new DateTimeOffset(2026, 11, 27, 3, 1, i, TimeSpan.Zero).AddTicks(10 * i)),
            new EvalSample($"case-{i:D2}", 1, null, null, null, new Dictionary<string, AssertionResult>(), text,
                0.1 * i, null, null, null, false, null,
                new DateTimeOffset(2026, 11, 27, 3, 2, i, TimeSpan.Zero)),
        }),
    ];

    private static string Script(EvalRun run, RunAggregates aggregates, List<EvalSample> samples)
    {
        using var writer = new StringWriter();
        IngestSqlWriter.Write(writer, run, aggregates, samples);
        return writer.ToString();
    }

    private static async Task ApplyAsync(NpgsqlDataSourceOwner db, string script)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var command = db.DataSource.CreateCommand(script);
        await command.ExecuteNonQueryAsync(timeout.Token);
    }

    private static void AssertStored(EvalSample sample, SampleRow row)
    {
        var (output, error) = TextCodec.UnescapeSample(row.Output, row.Error, row.Escaped);
        Assert.Equal((sample.CaseId, sample.Repeat), (row.CaseId, row.Repeat));
        Assert.Equal(sample.Output, output);
        Assert.Equal(sample.Error, error);
        Assert.Equal(TextCodec.EscapeSample(sample.Output, sample.Error).Escaped, row.Escaped);
        Assert.Equal((sample.Passed, sample.Score, sample.LatencyMs), (row.Passed, row.Score, row.LatencyMs));
        Assert.Equal((sample.CostUsd, sample.InputTokens, sample.OutputTokens, sample.Cached), (row.CostUsd, row.InputTokens, row.OutputTokens, row.Cached));
        Assert.Equal(sample.CreatedAt, row.CreatedAt);
        var scores = ScoresJson.Deserialize(row.Scores);
        Assert.Equal(sample.Scores.Keys.Order(StringComparer.Ordinal), scores.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, result) in sample.Scores)
        {
            Assert.Equal(result with { Reason = result.Reason.Replace('\0', '\uFFFD') }, scores[name]);
        }
    }

    private static void AssertStored(EvalRun run, RunAggregates aggregates, RunRow row)
    {
        Assert.Equal(
            (run.SuiteId, run.SuiteHash, run.UseCase, run.TargetProvider, run.TargetModel, run.TargetPolicyVersion, run.Environment, run.Status, run.Repeats, run.GitSha),
            (row.SuiteId, row.SuiteHash, row.UseCase, row.TargetProvider, row.TargetModel, row.TargetPolicyVersion, row.Environment, row.Status, row.Repeats, row.GitSha));
        Assert.Equal((run.CreatedAt, run.StartedAt, run.CompletedAt), (row.CreatedAt, row.StartedAt, row.CompletedAt));
        Assert.Equal(aggregates.ErrorRate, row.ErrorRate);
        Assert.Equal(aggregates.ToJson(), RunAggregates.FromJson(row.Aggregates).ToJson());
        Assert.True(JsonNode.DeepEquals(run.Params, JsonNode.Parse(row.Params)), row.Params);
        Assert.True(JsonNode.DeepEquals(run.Metadata, JsonNode.Parse(row.Metadata)), row.Metadata);
    }

    private static async Task<RunRow> RunRowAsync(NpgsqlDataSourceOwner db, Guid runId)
    {
        await using var command = db.DataSource.CreateCommand(
            "select suite_id, suite_hash, use_case, target_provider, target_model, target_policy_version, environment, status, repeats, "
            + "params::text, baseline_run_id, error_rate, aggregates::text, metadata::text, git_sha, started_at, completed_at, created_at "
            + "from ai_eval_runs where run_id = $1");
        command.Parameters.AddWithValue(runId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"run {runId} was not stored");
        return new RunRow(
            Text(reader, 0), Text(reader, 1), reader.GetString(2), Text(reader, 3), Text(reader, 4),
            OrNull<int>(reader, 5), Text(reader, 6), reader.GetString(7), reader.GetInt32(8), reader.GetString(9),
            OrNull<Guid>(reader, 10), OrNull<double>(reader, 11), reader.GetString(12), reader.GetString(13), Text(reader, 14),
            OrNull<DateTimeOffset>(reader, 15), OrNull<DateTimeOffset>(reader, 16), reader.GetFieldValue<DateTimeOffset>(17));
    }

    private static async Task<List<SampleRow>> SampleRowsAsync(NpgsqlDataSourceOwner db, Guid runId)
    {
        await using var command = db.DataSource.CreateCommand(
            "select case_id, repeat, output, passed, score, scores::text, error, latency_ms, cost_usd, input_tokens, output_tokens, cached, created_at, escaped "
            + "from ai_eval_samples where run_id = $1 order by case_id collate \"C\", repeat");
        command.Parameters.AddWithValue(runId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<SampleRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new SampleRow(
                reader.GetString(0), reader.GetInt32(1), Text(reader, 2), OrNull<bool>(reader, 3), OrNull<double>(reader, 4),
                reader.GetString(5), Text(reader, 6), OrNull<double>(reader, 7), OrNull<decimal>(reader, 8), OrNull<int>(reader, 9),
                OrNull<int>(reader, 10), reader.GetBoolean(11), reader.GetFieldValue<DateTimeOffset>(12), reader.GetBoolean(13)));
        }

        return rows;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static T? OrNull<T>(NpgsqlDataReader reader, int ordinal)
        where T : struct => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    private sealed record RunRow(
        string? SuiteId, string? SuiteHash, string UseCase, string? TargetProvider, string? TargetModel, int? TargetPolicyVersion,
        string? Environment, string Status, int Repeats, string Params, Guid? BaselineRunId, double? ErrorRate, string Aggregates,
        string Metadata, string? GitSha, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, DateTimeOffset CreatedAt);

    private sealed record SampleRow(
        string CaseId, int Repeat, string? Output, bool? Passed, double? Score, string Scores, string? Error, double? LatencyMs,
        decimal? CostUsd, int? InputTokens, int? OutputTokens, bool Cached, DateTimeOffset CreatedAt, bool Escaped);
}

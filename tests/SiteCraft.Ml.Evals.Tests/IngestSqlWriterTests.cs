using System.Text.RegularExpressions;
using SiteCraft.Ml.Evals.Core.Reports;
using SiteCraft.Ml.Evals.Core.Runs;
using static SiteCraft.Ml.Evals.Tests.EvalSamples;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>The ingest script's text; the Postgres round trip is in the integration tests (IngestSqlTests).</summary>
public sealed class IngestSqlWriterTests
{
    private static string Script(EvalRun run, IReadOnlyList<EvalSample> samples)
    {
        using var writer = new StringWriter();
        IngestSqlWriter.Write(writer, run, RunAggregator.Aggregate(samples, 0.5), samples);
        return writer.ToString();
    }

    [Fact]
    public void The_script_is_one_transaction_of_upserts_with_the_baseline_linked_only_if_it_exists()
    {
        var script = Script(RunReportTests.Run, [Judged("a", 0, true, 1)]);

        Assert.StartsWith("-- SiteCraft eval run 4b6f1f7e-2b4a-4d1e-9a51-0c3e7b9d2a10.", script, StringComparison.Ordinal);
        Assert.Contains("\nbegin;\nset local standard_conforming_strings = on;\n", script, StringComparison.Ordinal);
        Assert.EndsWith("commit;\n", script, StringComparison.Ordinal);
        Assert.Contains("insert into ai_eval_suites (suite_id, content_hash, use_case, definition)", script, StringComparison.Ordinal);
        Assert.Contains("on conflict (run_id) do update set", script, StringComparison.Ordinal);
        Assert.Contains("on conflict (run_id, case_id, repeat) do update set", script, StringComparison.Ordinal);
        Assert.Contains(
            "update ai_eval_runs set baseline_run_id = '0b0a1c2d-3e4f-4a5b-8c6d-7e8f90a1b2c3'::uuid\nwhere run_id = '4b6f1f7e-2b4a-4d1e-9a51-0c3e7b9d2a10'::uuid and exists (select 1 from ai_eval_runs where run_id = '0b0a1c2d-3e4f-4a5b-8c6d-7e8f90a1b2c3'::uuid);",
            script,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_text_becomes_plain_single_quoted_literals_with_quotes_doubled()
    {
        var script = Script(RunReportTests.Run, RunReportTests.HostileSamples());

        Assert.Contains("'''; drop table x; --'", script, StringComparison.Ordinal);
        Assert.Contains(@"'lone high \uD800 here'", script, StringComparison.Ordinal);
        Assert.Contains(@"'nul\0inside'", script, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"[\s(,]E'", RegexOptions.IgnoreCase), script);
        // Neither a NUL nor a lone surrogate reached the script.
        Assert.False(TextCodec.NeedsEscaping(script));
    }

    [Fact]
    public void Samples_go_in_batches_of_five_hundred_rows()
    {
        var samples = Enumerable.Range(0, 1001).Select(i => Judged($"c{i}", 0, true, 1)).ToList();

        var script = Script(RunReportTests.Run with { SuiteId = null, SuiteHash = null, BaselineRunId = null }, samples);

        Assert.Equal(3, Regex.Count(script, "insert into ai_eval_samples"));
        Assert.DoesNotContain("ai_eval_suites", script, StringComparison.Ordinal);
        Assert.DoesNotContain("update ai_eval_runs", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_that_cannot_be_stored_are_refused_before_anything_is_written()
    {
        using var writer = new StringWriter();
        var aggregates = RunAggregator.Aggregate([Judged("a", 0, true, 1)], 0.5);

        Assert.Throws<ArgumentException>(() => IngestSqlWriter.Write(writer, RunReportTests.Run with { UseCase = "nul\0" }, aggregates, []));
        Assert.Throws<ArgumentException>(() => IngestSqlWriter.Write(writer, RunReportTests.Run with { SuiteHash = null }, aggregates, []));
        Assert.Throws<ArgumentException>(() => IngestSqlWriter.Write(writer, RunReportTests.Run with { BaselineRunId = RunReportTests.Run.RunId }, aggregates, []));
        Assert.Equal("", writer.ToString());
        Assert.Throws<ArgumentException>(() => IngestSqlWriter.Write(new StringWriter(), RunReportTests.Run, aggregates, [Judged("a", 0, true, 1), Judged("a", 0, false, 0)]));
    }
}

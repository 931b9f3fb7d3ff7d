using SiteCraft.Ml.Evals.Core.Statistics;
using SiteCraft.Ml.Evals.Data.Reports;

namespace SiteCraft.Ml.Evals.Pages;

/// <summary>GET /evals/runs/{runId}: what the run was, its metrics with intervals, its gate, and its samples failures first.</summary>
internal static class RunPage
{
    public static HtmlPageResult Render(
        RunSummary run,
        IReadOnlyList<ScoredSample> scored,
        IReadOnlyList<AssertionRate> assertions,
        StoredGate? gate,
        IReadOnlyList<SampleRow> samples)
    {
        var body = new HtmlBuilder();
        Metadata(body, run);
        Metrics(body, run, scored);
        Assertions(body, assertions);
        Gate(body, gate);
        Samples(body, run, samples);
        return new HtmlPageResult($"Run {ReportFormat.Short(run.RunId)}: {run.SuiteId ?? run.UseCase} on {ReportFormat.Target(run)}", body);
    }

    private static void Metadata(HtmlBuilder body, RunSummary run)
    {
        var baseline = new HtmlBuilder();
        if (run.BaselineRunId is { } baselineId)
        {
            baseline.Append($"""<a href="/evals/runs/{baselineId}">{ReportFormat.Short(baselineId)}</a> (<a href="/evals/compare?baseline={baselineId}&candidate={run.RunId}">compare</a>)""");
        }
        else
        {
            baseline.Append($"{ReportFormat.None}");
        }

        body.Append($"""
            <table data-testid="run-metadata">
            <tbody>
            <tr><th scope="row">Run</th><td data-testid="run-id">{run.RunId}</td></tr>
            <tr><th scope="row">Suite</th><td>{run.SuiteId ?? ReportFormat.None} <span class="note">{run.SuiteHash}</span></td></tr>
            <tr><th scope="row">Use case</th><td>{run.UseCase}</td></tr>
            <tr><th scope="row">Target</th><td data-testid="target">{ReportFormat.Target(run)}</td></tr>
            <tr><th scope="row">Environment</th><td>{run.Environment ?? ReportFormat.None}</td></tr>
            <tr><th scope="row">Status</th><td data-testid="status">{run.Status}</td></tr>
            <tr><th scope="row">Repeats</th><td>{run.Repeats}</td></tr>
            <tr><th scope="row">Baseline</th><td>{baseline}</td></tr>
            <tr><th scope="row">Git SHA</th><td>{run.GitSha ?? ReportFormat.None}</td></tr>
            <tr><th scope="row">Created / started / completed</th><td>{ReportFormat.Time(run.CreatedAt)} / {ReportFormat.Time(run.StartedAt)} / {ReportFormat.Time(run.CompletedAt)}</td></tr>
            <tr><th scope="row">Samples</th><td>{run.SampleCount} ({run.ErrorCount} errored, {run.CachedCount} cached)</td></tr>
            <tr><th scope="row">Latency p50 / p95</th><td>{ReportFormat.Latency(run.P50LatencyMs)} / {ReportFormat.Latency(run.P95LatencyMs)}</td></tr>
            <tr><th scope="row">Tokens in / out</th><td>{ReportFormat.Count(run.InputTokens)} / {ReportFormat.Count(run.OutputTokens)}</td></tr>
            <tr><th scope="row">Cost</th><td data-testid="cost">{ReportFormat.Cost(run.TotalCostUsd)}</td></tr>
            </tbody>
            </table>
            """);
    }

    private static void Metrics(HtmlBuilder body, RunSummary run, IReadOnlyList<ScoredSample> scored)
    {
        body.Append($"""
            <h2>Metrics</h2>
            <table data-testid="metrics">
            <thead><tr><th scope="col">Metric</th><th scope="col">Value</th><th scope="col">Detail</th></tr></thead>
            <tbody>
            <tr><th scope="row">Pass rate</th><td class="num" data-testid="pass-rate">{ReportFormat.PassRate(run.PassCount, run.JudgedCount)}</td><td class="note">Wilson interval over the {run.JudgedCount} judged samples; errored samples are neither passes nor fails.</td></tr>
            """);
        if (scored.Count > 0)
        {
            var summary = MetricSummary.Of([.. scored.Select(s => s.Score)], [.. scored.Select(s => s.Cluster)]);
            var se = summary.ClusteredStandardError is { } clustered
                ? $"clustered SE {ReportFormat.Number(clustered, "0.0000")} over {summary.Clusters} clusters (plain SE {ReportFormat.Number(summary.StandardError, "0.0000")})"
                : $"SE {ReportFormat.Number(summary.StandardError, "0.0000")}";
            body.Append($"""
                <tr><th scope="row">Mean score</th><td class="num" data-testid="mean-score">{ReportFormat.Number(summary.Mean)} (95% CI {ReportFormat.Number(summary.Confidence95.Lower)}–{ReportFormat.Number(summary.Confidence95.Upper)})</td><td class="note">{summary.Count} samples; {se}; minimum detectable effect {ReportFormat.Number(summary.MinimumDetectableEffect)}. Clusters are the cases' cluster ids, or the case itself.</td></tr>
                """);
        }
        else
        {
            body.Append($"""<tr><th scope="row">Mean score</th><td class="num" data-testid="mean-score">{ReportFormat.None}</td><td class="note">No scored sample.</td></tr>""");
        }

        body.Append($"""
            <tr><th scope="row">Error rate</th><td class="num" data-testid="error-rate">{ReportFormat.Percent(run.ErrorRate)}</td><td class="note">{run.ErrorCount} of {run.SampleCount} samples errored.</td></tr>
            </tbody>
            </table>
            """);
    }

    private static void Assertions(HtmlBuilder body, IReadOnlyList<AssertionRate> assertions)
    {
        body.Append($"<h2>Assertions</h2>");
        if (assertions.Count == 0)
        {
            body.Append($"""<p class="note">No assertion results.</p>""");
            return;
        }

        body.Append($"""
            <table data-testid="assertions">
            <thead><tr><th scope="col">Assertion</th><th scope="col">Pass rate</th></tr></thead>
            <tbody>
            """);
        foreach (var assertion in assertions)
        {
            body.Append($"""<tr data-testid="assertion-row" data-assertion="{assertion.Name}"><th scope="row">{assertion.Name}</th><td class="num">{ReportFormat.PassRate(assertion.Passed, assertion.Count)}</td></tr>""");
        }

        body.Append($"</tbody></table>");
    }

    private static void Gate(HtmlBuilder body, StoredGate? gate)
    {
        body.Append($"<h2>Gate</h2>");
        if (gate is null)
        {
            body.Append($"""<p class="note" data-testid="gate">No gate has judged this run.</p>""");
            return;
        }

        body.Append($"""
            <div data-testid="gate">
            <p><span class="{Decision(gate.Passed)}" data-testid="gate-decision">{Decision(gate.Passed)}</span> for {gate.Provider}/{gate.Model} in {gate.Environment} ({gate.UseCase}), decided {ReportFormat.Time(gate.DecidedAt)}.</p>
            <ul>
            """);
        foreach (var reason in StoredJson.Reasons(gate.ReasonsJson))
        {
            body.Append($"""<li data-testid="gate-reason">{reason}</li>""");
        }

        body.Append($"</ul></div>");
    }

    private static void Samples(HtmlBuilder body, RunSummary run, IReadOnlyList<SampleRow> samples)
    {
        body.Append($"<h2>Samples</h2>");
        if (samples.Count == 0)
        {
            body.Append($"""<p class="note">No samples yet.</p>""");
            return;
        }

        if (run.SampleCount > samples.Count)
        {
            body.Append($"""<p class="note">Showing the first {samples.Count} of {run.SampleCount} samples, failures first.</p>""");
        }

        body.Append($"""
            <table data-testid="samples">
            <thead><tr><th scope="col">Case</th><th scope="col">Repeat</th><th scope="col">Outcome</th><th scope="col">Score</th><th scope="col">Failed assertions</th><th scope="col">Output</th><th scope="col">Latency</th><th scope="col">Cost</th><th scope="col">Cached</th></tr></thead>
            <tbody>
            """);
        foreach (var sample in samples)
        {
            var outcome = sample.Passed switch
            {
                true => "passed",
                false => "failed",
                null when sample.Error is not null => "error",
                null => "unjudged",
            };
            body.Append($"""
                <tr data-testid="sample" data-case="{sample.CaseId}" data-repeat="{sample.Repeat}" data-outcome="{outcome}">
                <th scope="row">{sample.CaseId}</th><td class="num">{sample.Repeat}</td><td class="{outcome}">{outcome}</td>
                <td class="num">{ReportFormat.Number(sample.Score)}</td>
                <td>{FailedAssertions(sample)}</td>
                <td>{Text(sample)}</td>
                <td class="num">{ReportFormat.Latency(sample.LatencyMs)}</td><td class="num">{ReportFormat.Cost(sample.CostUsd)}</td><td>{(sample.Cached ? "yes" : "no")}</td>
                </tr>
                """);
        }

        body.Append($"</tbody></table>");
    }

    private static HtmlBuilder FailedAssertions(SampleRow sample)
    {
        var list = new HtmlBuilder();
        var failed = StoredJson.FailedAssertions(sample.ScoresJson);
        if (failed.Count == 0)
        {
            return list;
        }

        list.Append($"<ul>");
        foreach (var assertion in failed)
        {
            list.Append($"""<li data-testid="failed-assertion"><strong>{assertion.Name}</strong> <span class="note">{assertion.Type} {ReportFormat.Number(assertion.Score)}</span>: {assertion.Reason}</li>""");
        }

        list.Append($"</ul>");
        return list;
    }

    // The stored text is shown as stored: an escaped one (see 0007) keeps its \\, \0 and \uXXXX escapes.
    private static HtmlBuilder Text(SampleRow sample)
    {
        var text = new HtmlBuilder();
        if (sample.Error is not null)
        {
            text.Append($"""<pre class="error" data-testid="error">{sample.Error}</pre>{Length(sample.ErrorLength)}""");
        }

        if (sample.Output is not null)
        {
            text.Append($"""<pre data-testid="output">{sample.Output}</pre>{Length(sample.OutputLength)}""");
        }

        if (sample.Escaped)
        {
            text.Append($"""<p class="note">Stored escaped: \\ is a backslash, \0 a NUL, \uXXXX a lone surrogate.</p>""");
        }

        return text;
    }

    private static HtmlBuilder Length(int length)
    {
        var note = new HtmlBuilder();
        if (length > EvalReports.ShownChars)
        {
            note.Append($"""<p class="note" data-testid="truncated">First {EvalReports.ShownChars:N0} of {length:N0} characters.</p>""");
        }

        return note;
    }

    private static string Decision(bool passed) => passed ? "passed" : "failed";
}

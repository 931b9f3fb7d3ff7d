using SiteCraft.Ml.Evals.Data.Reports;

namespace SiteCraft.Ml.Evals.Pages;

/// <summary>GET /evals: the newest runs with their headline figures, and a form to compare two of them.</summary>
internal static class RunsPage
{
    public static HtmlPageResult Render(IReadOnlyList<RunSummary> runs, DateTimeOffset? before)
    {
        var body = new HtmlBuilder();
        body.Append($"""<p>See also <a href="/evals/gates">the latest gate decisions</a> and <a href="/evals/online">online scores</a>.</p>""");
        if (before is { } cursor)
        {
            body.Append($"""<p class="note">Runs created before {ReportFormat.Time(cursor)}. <a href="/evals">Newest runs</a></p>""");
        }

        if (runs.Count == 0)
        {
            body.Append($"""<p data-testid="no-runs">No runs yet.</p>""");
            return new HtmlPageResult("Eval runs", body);
        }

        body.Append($"""
            <table data-testid="runs">
            <thead><tr><th scope="col">Run</th><th scope="col">Suite</th><th scope="col">Use case</th><th scope="col">Target</th><th scope="col">Environment</th><th scope="col">Status</th><th scope="col">Samples</th><th scope="col">Pass rate</th><th scope="col">Error rate</th><th scope="col">p95 latency</th><th scope="col">Cost</th><th scope="col">Created</th></tr></thead>
            <tbody>
            """);
        foreach (var run in runs)
        {
            body.Append($"""
                <tr data-testid="run-row" data-run-id="{run.RunId}">
                <th scope="row"><a href="/evals/runs/{run.RunId}" data-testid="run-link">{ReportFormat.Short(run.RunId)}</a></th>
                <td>{run.SuiteId ?? ReportFormat.None}</td><td>{run.UseCase}</td><td>{ReportFormat.Target(run)}</td>
                <td>{run.Environment ?? ReportFormat.None}</td><td>{run.Status}</td><td class="num">{run.SampleCount}</td>
                <td class="num" data-testid="pass-rate">{ReportFormat.PassRate(run.PassCount, run.JudgedCount)}</td>
                <td class="num">{ReportFormat.Percent(run.ErrorRate)}</td><td class="num">{ReportFormat.Latency(run.P95LatencyMs)}</td>
                <td class="num">{ReportFormat.Cost(run.TotalCostUsd)}</td><td>{ReportFormat.Time(run.CreatedAt)}</td>
                </tr>
                """);
        }

        body.Append($"""
            </tbody>
            </table>
            """);
        if (runs.Count == EvalReports.PageSize)
        {
            body.Append($"""<p><a href="/evals?before={Uri.EscapeDataString(ReportFormat.Cursor(runs[^1].CreatedAt))}" data-testid="older">Older runs</a></p>""");
        }

        body.Append($"""
            <h2>Compare two runs</h2>
            <form method="get" action="/evals/compare" data-testid="compare-form">
            <label>Baseline <select name="baseline" id="baseline">{Options(runs)}</select></label>
            <label>Candidate <select name="candidate" id="candidate">{Options(runs)}</select></label>
            <button type="submit" id="compare">Compare</button>
            </form>
            """);
        return new HtmlPageResult("Eval runs", body);
    }

    private static HtmlBuilder Options(IReadOnlyList<RunSummary> runs)
    {
        var options = new HtmlBuilder();
        foreach (var run in runs)
        {
            options.Append($"""<option value="{run.RunId}">{ReportFormat.Short(run.RunId)} · {ReportFormat.Run(run)}</option>""");
        }

        return options;
    }
}

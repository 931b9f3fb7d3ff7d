using SiteCraft.Ml.Evals.Data.Reports;

namespace SiteCraft.Ml.Evals.Pages;

/// <summary>GET /evals/compare: a candidate run against a baseline, paired on the cases both scored.</summary>
internal static class ComparePage
{
    public static HtmlPageResult Render(RunSummary baseline, RunSummary candidate, CaseComparison comparison)
    {
        var body = new HtmlBuilder().Append($"""
            <table data-testid="compared-runs">
            <thead><tr><th scope="col"></th><th scope="col">Run</th><th scope="col">Suite</th><th scope="col">Target</th><th scope="col">Pass rate</th><th scope="col">Created</th></tr></thead>
            <tbody>
            {Row("Baseline", baseline)}
            {Row("Candidate", candidate)}
            </tbody>
            </table>
            """);

        if (comparison.Pairs.Count == 0)
        {
            body.Append($"""<p data-testid="no-shared-cases" class="failed">The runs share no scored case, so they cannot be compared. Compare runs of the same suite.</p>""");
            return new HtmlPageResult("Compare runs", body);
        }

        if (comparison.BaselineOnly > 0 || comparison.CandidateOnly > 0)
        {
            body.Append($"""<p class="note">{comparison.BaselineOnly} cases scored only in the baseline and {comparison.CandidateOnly} only in the candidate (missing or every repeat errored) are left out.</p>""");
        }

        body.Append($"<h2>Paired comparison</h2>");
        if (comparison.Statistics is { } stats)
        {
            body.Append($"""
                <table data-testid="paired">
                <tbody>
                <tr><th scope="row">Pairs</th><td class="num" data-testid="pairs">{stats.Pairs}</td></tr>
                <tr><th scope="row">Mean difference (candidate − baseline)</th><td class="num" data-testid="mean-difference">{ReportFormat.SignedNumber(stats.MeanDifference)}</td></tr>
                <tr><th scope="row">Standard error</th><td class="num">{ReportFormat.Number(stats.StandardError, "0.0000")}</td></tr>
                <tr><th scope="row">95% interval</th><td class="num" data-testid="difference-interval">{ReportFormat.SignedNumber(stats.Confidence95.Lower)} to {ReportFormat.SignedNumber(stats.Confidence95.Upper)}</td></tr>
                <tr><th scope="row">p-value</th><td class="num" data-testid="p-value">{ReportFormat.PValue(stats.PValue)}</td></tr>
                <tr><th scope="row">Minimum detectable effect</th><td class="num">{ReportFormat.Number(stats.MinimumDetectableEffect)}</td></tr>
                </tbody>
                </table>
                <p class="note">Each case's score is its mean over its non-errored repeats; the difference is paired by case.</p>
                """);
        }
        else
        {
            body.Append($"""<p data-testid="pairs" class="note">Only {comparison.Pairs.Count} shared case: a paired comparison needs at least two.</p>""");
        }

        Cases(body, "Regressions", "regressions", [.. comparison.Regressions]);
        Cases(body, "Improvements", "improvements", [.. comparison.Improvements]);
        body.Append($"""<p class="note">{comparison.Unchanged} cases unchanged.</p>""");
        return new HtmlPageResult("Compare runs", body);
    }

    private static HtmlBuilder Row(string role, RunSummary run) => new HtmlBuilder().Append($"""
        <tr><th scope="row">{role}</th><td><a href="/evals/runs/{run.RunId}">{ReportFormat.Short(run.RunId)}</a></td><td>{run.SuiteId ?? run.UseCase}</td><td>{ReportFormat.Target(run)}</td><td class="num">{ReportFormat.PassRate(run.PassCount, run.JudgedCount)}</td><td>{ReportFormat.Time(run.CreatedAt)}</td></tr>
        """);

    private static void Cases(HtmlBuilder body, string title, string testId, IReadOnlyList<CaseComparison.Pair> pairs)
    {
        body.Append($"<h2>{title} ({pairs.Count})</h2>");
        if (pairs.Count == 0)
        {
            body.Append($"""<p class="note" data-testid="{testId}">None.</p>""");
            return;
        }

        body.Append($"""
            <table data-testid="{testId}">
            <thead><tr><th scope="col">Case</th><th scope="col">Baseline</th><th scope="col">Candidate</th><th scope="col">Difference</th></tr></thead>
            <tbody>
            """);
        foreach (var pair in pairs)
        {
            body.Append($"""<tr data-case="{pair.CaseId}"><th scope="row">{pair.CaseId}</th><td class="num">{ReportFormat.Number(pair.Baseline)}</td><td class="num">{ReportFormat.Number(pair.Candidate)}</td><td class="num">{ReportFormat.SignedNumber(pair.Difference)}</td></tr>""");
        }

        body.Append($"</tbody></table>");
    }
}

using SiteCraft.Ml.Evals.Data.Reports;

namespace SiteCraft.Ml.Evals.Pages;

/// <summary>GET /evals/online: how production output scored on the online evals, per day (ai_eval_online_summary).</summary>
internal static class OnlinePage
{
    public const int Days = 30;

    public static HtmlPageResult Render(IReadOnlyList<OnlineScore> scores)
    {
        var body = new HtmlBuilder().Append($"""<p class="note">The last {Days} days (UTC) of online-eval scores, by the day the content was generated.</p>""");
        if (scores.Count == 0)
        {
            body.Append($"""<p data-testid="no-scores">No online scores in the last {Days} days.</p>""");
            return new HtmlPageResult("Online scores", body);
        }

        body.Append($"""
            <table data-testid="online">
            <thead><tr><th scope="col">Day</th><th scope="col">Use case</th><th scope="col">Score</th><th scope="col">Count</th><th scope="col">Average</th></tr></thead>
            <tbody>
            """);
        foreach (var score in scores)
        {
            body.Append($"""
                <tr data-testid="online-row" data-name="{score.Name}"><th scope="row">{score.Day:yyyy-MM-dd}</th><td>{score.UseCase}</td><td>{score.Name}</td><td class="num">{score.Count}</td><td class="num">{ReportFormat.Number(score.Average)}</td></tr>
                """);
        }

        body.Append($"</tbody></table>");
        return new HtmlPageResult("Online scores", body);
    }
}

using SiteCraft.Ml.Evals.Data.Reports;

namespace SiteCraft.Ml.Evals.Pages;

/// <summary>GET /evals/gates: the gate decision that stands for each target (ai_eval_latest_gates).</summary>
internal static class GatesPage
{
    public static HtmlPageResult Render(IReadOnlyList<StoredGate> gates)
    {
        var body = new HtmlBuilder();
        if (gates.Count == 0)
        {
            body.Append($"""<p data-testid="no-gates">No gate decisions yet.</p>""");
            return new HtmlPageResult("Gate decisions", body);
        }

        body.Append($"""
            <table data-testid="gates">
            <thead><tr><th scope="col">Environment</th><th scope="col">Use case</th><th scope="col">Target</th><th scope="col">Decision</th><th scope="col">Reasons</th><th scope="col">Run</th><th scope="col">Decided</th></tr></thead>
            <tbody>
            """);
        foreach (var gate in gates)
        {
            var decision = gate.Passed ? "passed" : "failed";
            var reasons = new HtmlBuilder();
            foreach (var reason in StoredJson.Reasons(gate.ReasonsJson))
            {
                reasons.Append($"""<li data-testid="gate-reason">{reason}</li>""");
            }

            body.Append($"""
                <tr data-testid="gate-row" data-environment="{gate.Environment}" data-run-id="{gate.RunId}">
                <th scope="row">{gate.Environment}</th><td>{gate.UseCase}</td><td>{gate.Provider}/{gate.Model}</td>
                <td class="{decision}" data-testid="gate-decision">{decision}</td>
                <td><ul>{reasons}</ul></td>
                <td><a href="/evals/runs/{gate.RunId}">{ReportFormat.Short(gate.RunId)}</a></td><td>{ReportFormat.Time(gate.DecidedAt)}</td>
                </tr>
                """);
        }

        body.Append($"</tbody></table>");
        return new HtmlPageResult("Gate decisions", body);
    }
}

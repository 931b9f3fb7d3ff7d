using System.Globalization;
using SiteCraft.Ml.Evals.Data.Reports;
using SiteCraft.Ml.Evals.Pages;

// Beside MapDefaultEndpoints and the other Map* calls, so Program.cs needs no using for it.
namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The eval report pages under /evals: server-rendered HTML with no script, every value encoded.
/// They answer on the HTTP/1.1 endpoint; the h2c-only gRPC endpoint refuses browsers anyway.
/// </summary>
public static class EvalPages
{
    public static IEndpointRouteBuilder MapEvalPages(this IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapGroup("/evals").ExcludeFromDescription();
        pages.MapGet("", ListRunsAsync);
        pages.MapGet("/runs/{runId}", ShowRunAsync);
        pages.MapGet("/compare", CompareAsync);
        pages.MapGet("/gates", async (EvalReports reports, CancellationToken cancellationToken) =>
            GatesPage.Render(await reports.LatestGatesAsync(cancellationToken)));
        pages.MapGet("/online", async (EvalReports reports, CancellationToken cancellationToken) =>
            OnlinePage.Render(await reports.OnlineScoresAsync(OnlinePage.Days, cancellationToken)));
        return endpoints;
    }

    private static async Task<HtmlPageResult> ListRunsAsync(string? before, EvalReports reports, CancellationToken cancellationToken)
    {
        DateTimeOffset? cursor = null;
        if (!string.IsNullOrEmpty(before))
        {
            if (!DateTimeOffset.TryParse(before, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return HtmlPageResult.Problem(StatusCodes.Status400BadRequest, "Bad request", $"?before= must be a timestamp such as 2026-01-31T12:00:00Z, not '{before}'.");
            }

            cursor = parsed;
        }

        return RunsPage.Render(await reports.RunsAsync(cursor, cancellationToken), cursor);
    }

    private static async Task<HtmlPageResult> ShowRunAsync(string runId, EvalReports reports, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(runId, out var id))
        {
            return HtmlPageResult.Problem(StatusCodes.Status400BadRequest, "Bad request", $"'{runId}' is not a run id: run ids are UUIDs.");
        }

        if (await reports.RunAsync(id, cancellationToken) is not { } run)
        {
            return HtmlPageResult.Problem(StatusCodes.Status404NotFound, "Run not found", $"No run {id}.");
        }

        return RunPage.Render(
            run,
            await reports.ScoredSamplesAsync(id, cancellationToken),
            await reports.AssertionRatesAsync(id, cancellationToken),
            await reports.LatestGateAsync(id, cancellationToken),
            await reports.SamplesAsync(id, cancellationToken));
    }

    private static async Task<HtmlPageResult> CompareAsync(string? baseline, string? candidate, EvalReports reports, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var baselineId = ParseRunId("baseline", baseline, problems);
        var candidateId = ParseRunId("candidate", candidate, problems);
        if (problems.Count > 0)
        {
            return HtmlPageResult.Problem(
                StatusCodes.Status400BadRequest,
                "Bad request",
                $"Compare needs /evals/compare?baseline=<run id>&candidate=<run id>. {string.Join(" ", problems)}");
        }

        var runs = await reports.RunsAsync([baselineId, candidateId], cancellationToken);
        var baselineRun = runs.SingleOrDefault(r => r.RunId == baselineId);
        var candidateRun = runs.SingleOrDefault(r => r.RunId == candidateId);
        if (baselineRun is null || candidateRun is null)
        {
            var missing = new[] { (baselineRun, "baseline", baselineId), (candidateRun, "candidate", candidateId) }
                .Where(r => r.Item1 is null)
                .Select(r => $"No {r.Item2} run {r.Item3}.");
            return HtmlPageResult.Problem(StatusCodes.Status404NotFound, "Run not found", string.Join(" ", missing));
        }

        var means = await reports.CaseMeansAsync([baselineId, candidateId], cancellationToken);
        return ComparePage.Render(baselineRun, candidateRun, CaseComparison.Of(baselineId, candidateId, means));
    }

    private static Guid ParseRunId(string name, string? value, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"The {name} run id is missing.");
            return Guid.Empty;
        }

        if (!Guid.TryParse(value, out var id))
        {
            problems.Add($"The {name} '{value}' is not a run id (a UUID).");
        }

        return id;
    }
}

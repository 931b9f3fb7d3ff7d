using SiteCraft.Ml.Evals.Core.Statistics;
using SiteCraft.Ml.Evals.Data.Reports;

namespace SiteCraft.Ml.Evals.Pages;

/// <summary>
/// Two runs on the cases both scored: each case's mean over its non-errored repeats, the paired
/// comparison of those means (null below two shared cases), and the cases that moved.
/// </summary>
internal sealed record CaseComparison(
    IReadOnlyList<CaseComparison.Pair> Pairs,
    PairedComparison? Statistics,
    int BaselineOnly,
    int CandidateOnly)
{
    public sealed record Pair(string CaseId, double Baseline, double Candidate)
    {
        public double Difference => Candidate - Baseline;
    }

    /// <summary>Worst first.</summary>
    public IEnumerable<Pair> Regressions => Pairs.Where(p => p.Difference < 0).OrderBy(p => p.Difference).ThenBy(p => p.CaseId, StringComparer.Ordinal);

    /// <summary>Best first.</summary>
    public IEnumerable<Pair> Improvements => Pairs.Where(p => p.Difference > 0).OrderByDescending(p => p.Difference).ThenBy(p => p.CaseId, StringComparer.Ordinal);

    public int Unchanged => Pairs.Count(p => p.Difference == 0);

    public static CaseComparison Of(Guid baselineRunId, Guid candidateRunId, IEnumerable<CaseMean> means)
    {
        var list = means.ToList();
        var baseline = list.Where(m => m.RunId == baselineRunId).ToDictionary(m => m.CaseId, m => m.MeanScore, StringComparer.Ordinal);
        var candidate = list.Where(m => m.RunId == candidateRunId).ToDictionary(m => m.CaseId, m => m.MeanScore, StringComparer.Ordinal);
        var pairs = baseline.Keys
            .Where(candidate.ContainsKey)
            .Order(StringComparer.Ordinal)
            .Select(id => new Pair(id, baseline[id], candidate[id]))
            .ToList();
        var statistics = pairs.Count >= 2
            ? PairedComparison.Of([.. pairs.Select(p => p.Candidate)], [.. pairs.Select(p => p.Baseline)])
            : null;
        return new CaseComparison(pairs, statistics, baseline.Count - pairs.Count, candidate.Count - pairs.Count);
    }
}

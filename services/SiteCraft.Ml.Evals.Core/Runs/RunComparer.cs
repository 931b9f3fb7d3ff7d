using SiteCraft.Ml.Evals.Core.Statistics;

namespace SiteCraft.Ml.Evals.Core.Runs;

/// <summary>
/// Compares two runs case by case: each case's score is the mean over its repeats that did not
/// error, and the cases judged in both runs are the pairs (Miller 2024, §4: pairing removes the
/// case difficulty both runs share).
/// </summary>
public static class RunComparer
{
    /// <summary>A case whose mean moved by less than this is neither a regression nor an improvement (float noise).</summary>
    public const double Tolerance = 1e-9;

    /// <exception cref="NoSharedCasesException">
    /// Fewer than two cases were judged in both runs: a paired standard error needs two pairs.
    /// </exception>
    public static RunComparison Compare(IReadOnlyList<EvalSample> baseline, IReadOnlyList<EvalSample> candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var before = CaseMeans(baseline);
        var after = CaseMeans(candidate);

        var cases = before.Keys
            .Where(after.ContainsKey)
            .Select(id => new CaseDifference(id, before[id], after[id], after[id] - before[id]))
            .OrderByDescending(d => Math.Abs(d.Difference))
            .ThenBy(d => d.CaseId, StringComparer.Ordinal)
            .ToList();
        if (cases.Count < 2)
        {
            throw new NoSharedCasesException(cases.Count == 0
                ? $"the runs share no judged case (baseline {before.Count}, candidate {after.Count})"
                : $"the runs share one judged case ('{cases[0].CaseId}'); a paired comparison needs at least two");
        }

        return new RunComparison(
            PairedComparison.Of([.. cases.Select(c => c.Candidate)], [.. cases.Select(c => c.Baseline)]),
            cases,
            cases.Count(c => c.Difference < -Tolerance),
            cases.Count(c => c.Difference > Tolerance),
            before.Keys.Count(id => !after.ContainsKey(id)),
            after.Keys.Count(id => !before.ContainsKey(id)),
            PassRate(baseline),
            PassRate(candidate));
    }

    private static Dictionary<string, double> CaseMeans(IReadOnlyList<EvalSample> samples) =>
        samples
            .Where(s => s.Error is null && s.Score is { } score && double.IsFinite(score))
            .GroupBy(s => s.CaseId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(s => s.Score!.Value), StringComparer.Ordinal);

    // A run with a judged case has a judged sample, so the count is at least one here.
    private static ProportionSummary PassRate(IReadOnlyList<EvalSample> samples)
    {
        var judged = samples.Where(s => s.Error is null && s.Passed is not null).ToList();
        return ProportionSummary.Of(judged.Count(s => s.Passed == true), judged.Count);
    }
}

namespace SiteCraft.Ml.Evals.Core.Statistics;

/// <summary>
/// A candidate against a baseline on the same cases (Miller 2024, §4): the mean of the per-case
/// differences, its standard error and 95% interval, the two-sided p-value of "no difference",
/// and the minimum detectable effect for this many pairs. Pairing removes the variance the two runs
/// share (case difficulty), so it detects far smaller effects than comparing two means.
/// </summary>
public sealed record PairedComparison(
    int Pairs,
    double MeanDifference,
    double StandardError,
    Interval Confidence95,
    double Z,
    double PValue,
    double MinimumDetectableEffect)
{
    /// <summary>Compares per-case scores; element i of both lists is the same case.</summary>
    public static PairedComparison Of(IReadOnlyList<double> candidate, IReadOnlyList<double> baseline)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        if (candidate.Count != baseline.Count)
        {
            throw new ArgumentException($"{candidate.Count} candidate scores for {baseline.Count} baseline scores: a paired comparison needs the same cases", nameof(candidate));
        }

        if (candidate.Count < 2)
        {
            throw new ArgumentException("a paired comparison needs at least two cases", nameof(candidate));
        }

        var differences = candidate.Zip(baseline, (c, b) => c - b).ToList();
        var summary = MetricSummary.Of(differences);
        var se = summary.StandardError;
        var z = se > 0 ? summary.Mean / se : summary.Mean == 0 ? 0 : double.PositiveInfinity * Math.Sign(summary.Mean);
        var p = se > 0 ? Normal.TwoSidedP(z) : summary.Mean == 0 ? 1.0 : 0.0;
        return new PairedComparison(
            differences.Count,
            summary.Mean,
            se,
            summary.Confidence95,
            z,
            p,
            (Normal.Z95 + Normal.Z80) * se);
    }
}

using SiteCraft.Ml.Evals.Core.Statistics;

namespace SiteCraft.Ml.Evals.Core.Runs;

/// <summary>Turns a run's samples into its <see cref="RunAggregates"/>.</summary>
/// <remarks>
/// The mean score's standard error is clustered, because samples that share something are
/// correlated and carry less information than their count says (Miller 2024, §2.2):
/// by ClusterId when any sample has one (a sample without one is its case's own cluster), else by
/// case id when some case has several repeats (repeats of one case share its difficulty), else
/// not at all. Latency percentiles follow the ai_eval_run_summary view: Postgres percentile_cont
/// over the samples not served from the cache.
/// </remarks>
public static class RunAggregator
{
    public const string ByClusterId = "cluster_id";
    public const string ByCaseId = "case_id";
    public const string NotClustered = "none";

    public static RunAggregates Aggregate(IReadOnlyList<EvalSample> samples, double passThreshold)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (!(passThreshold is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(passThreshold), passThreshold, "a pass threshold is a rate in [0, 1]");
        }

        var judged = samples.Where(s => s.Error is null && s.Passed is not null).ToList();
        var scored = samples.Where(s => s.Error is null && s.Score is { } score && double.IsFinite(score)).ToList();
        var errors = samples.Count(s => s.Error is not null);
        var passRate = judged.Count > 0 ? RateSummary.Of(judged.Count(s => s.Passed == true), judged.Count) : null;
        var latencies = samples
            .Where(s => !s.Cached && s.LatencyMs is { } latency && double.IsFinite(latency))
            .Select(s => s.LatencyMs!.Value)
            .Order()
            .ToList();

        return new RunAggregates(
            SampleCount: samples.Count,
            ErrorCount: errors,
            JudgedCount: judged.Count,
            CachedCount: samples.Count(s => s.Cached),
            CaseCount: samples.Select(s => s.CaseId).Distinct(StringComparer.Ordinal).Count(),
            PassRate: passRate,
            MeanScore: MeanScore(scored),
            AssertionPassRates: AssertionPassRates(judged),
            ErrorRate: samples.Count > 0 ? (double)errors / samples.Count : null,
            P50LatencyMs: PercentileCont(latencies, 0.5),
            P95LatencyMs: PercentileCont(latencies, 0.95),
            TotalCostUsd: samples.Sum(s => s.CostUsd ?? 0m),
            InputTokens: samples.Sum(s => (long)(s.InputTokens ?? 0)),
            OutputTokens: samples.Sum(s => (long)(s.OutputTokens ?? 0)),
            WithinCaseVariance: WithinCaseVariance(scored),
            FlakyCases: judged
                .GroupBy(s => s.CaseId, StringComparer.Ordinal)
                .Where(g => g.Select(s => s.Passed).Distinct().Count() > 1)
                .Select(g => g.Key)
                .Order(StringComparer.Ordinal)
                .ToList(),
            PassThreshold: passThreshold,
            SuitePassed: passRate is not null && passRate.Rate >= passThreshold);
    }

    /// <summary>
    /// The p-th percentile of ascending <paramref name="sorted"/> values, interpolating linearly
    /// between the two nearest ranks as Postgres percentile_cont does; null without values.
    /// </summary>
    public static double? PercentileCont(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        var position = p * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = (int)Math.Ceiling(position);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    private static ScoreSummary? MeanScore(List<EvalSample> scored)
    {
        if (scored.Count == 0)
        {
            return null;
        }

        var (clusters, by) = ClustersOf(scored);
        var summary = MetricSummary.Of(scored.Select(s => s.Score!.Value).ToList(), clusters);
        return new ScoreSummary(
            summary.Count,
            summary.Mean,
            summary.StandardError,
            summary.ClusteredStandardError,
            summary.Clusters,
            by,
            summary.Confidence95.Lower,
            summary.Confidence95.Upper,
            summary.MinimumDetectableEffect);
    }

    private static (IReadOnlyList<string>? Clusters, string By) ClustersOf(List<EvalSample> scored)
    {
        if (scored.Any(s => s.ClusterId is not null))
        {
            // The prefixes keep a cluster id from colliding with a case id of the same text.
            return (scored.Select(s => s.ClusterId is { } cluster ? "cluster:" + cluster : "case:" + s.CaseId).ToList(), ByClusterId);
        }

        if (scored.GroupBy(s => s.CaseId, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            return (scored.Select(s => s.CaseId).ToList(), ByCaseId);
        }

        return (null, NotClustered);
    }

    private static SortedDictionary<string, RateSummary> AssertionPassRates(List<EvalSample> judged)
    {
        var counts = new SortedDictionary<string, (int Passed, int Count)>(StringComparer.Ordinal);
        foreach (var sample in judged)
        {
            foreach (var (name, result) in sample.Scores)
            {
                var (passed, count) = counts.GetValueOrDefault(name);
                counts[name] = (passed + (result.Passed ? 1 : 0), count + 1);
            }
        }

        var rates = new SortedDictionary<string, RateSummary>(StringComparer.Ordinal);
        foreach (var (name, (passed, count)) in counts)
        {
            rates[name] = RateSummary.Of(passed, count);
        }

        return rates;
    }

    private static double? WithinCaseVariance(List<EvalSample> scored)
    {
        var variances = scored
            .GroupBy(s => s.CaseId, StringComparer.Ordinal)
            .Where(g => g.Count() >= 2)
            .Select(g =>
            {
                var mean = g.Average(s => s.Score!.Value);
                return g.Sum(s => Math.Pow(s.Score!.Value - mean, 2)) / (g.Count() - 1);
            })
            .ToList();
        return variances.Count > 0 ? variances.Average() : null;
    }
}

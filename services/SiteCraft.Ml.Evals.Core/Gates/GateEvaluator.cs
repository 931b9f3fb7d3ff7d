using System.Globalization;
using SiteCraft.Ml.Evals.Core.Runs;

namespace SiteCraft.Ml.Evals.Core.Gates;

/// <summary>Applies a <see cref="GatePolicy"/> to a run's aggregates and, when there is a baseline, its comparison.</summary>
public static class GateEvaluator
{
    public static GateOutcome Evaluate(GatePolicy policy, RunAggregates run, RunComparison? comparison)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(run);
        var costPerSample = run.SampleCount > 0 ? run.TotalCostUsd / run.SampleCount : 0m;
        var rules = new List<GateRule>();

        if (policy.MinPassRateLowerBound is { } minLower)
        {
            rules.Add(run.PassRate is { } rate
                ? AtLeast(GateOutcome.PassRateLowerBound, "pass rate lower bound", rate.WilsonLower, minLower)
                : new GateRule(GateOutcome.PassRateLowerBound, false, 0, minLower, $"no judged samples (all {N(run.SampleCount)} errored): the pass rate is unknown"));
        }

        if (policy.NonInferiorityMargin is { } margin)
        {
            rules.Add(comparison is null
                ? new GateRule(GateOutcome.NonInferiority, true, double.NaN, -margin, "no baseline: non-inferiority not checked")
                : NonInferior(comparison, margin));
        }

        if (policy.MaxErrorRate is { } maxErrors)
        {
            rules.Add(AtMost(GateOutcome.MaxErrorRate, "error rate", run.ErrorRate ?? 0, maxErrors, ""));
        }

        if (policy.MaxP95LatencyMs is { } maxLatency)
        {
            rules.Add(run.P95LatencyMs is { } p95
                ? AtMost(GateOutcome.P95LatencyMs, "p95 latency", p95, maxLatency, " ms")
                : new GateRule(GateOutcome.P95LatencyMs, true, double.NaN, maxLatency, "no uncached sample has a latency: p95 latency not checked"));
        }

        if (policy.MaxCostUsdPerSample is { } maxCost)
        {
            var passed = costPerSample <= maxCost;
            var message = passed
                ? $"cost per sample ${Usd(costPerSample)} ≤ ${Usd(maxCost)}"
                : $"cost per sample ${Usd(costPerSample)} > ${Usd(maxCost)} (over by ${Usd(costPerSample - maxCost)})";
            rules.Add(new GateRule(GateOutcome.CostUsdPerSample, passed, (double)costPerSample, (double)maxCost, message));
        }

        if (policy.MinSamples is { } minSamples)
        {
            var passed = run.JudgedCount >= minSamples;
            var message = passed
                ? $"{N(run.JudgedCount)} judged samples ≥ {N(minSamples)}"
                : $"{N(run.JudgedCount)} judged samples < {N(minSamples)} (short by {N(minSamples - run.JudgedCount)})";
            rules.Add(new GateRule(GateOutcome.MinSamples, passed, run.JudgedCount, minSamples, message));
        }

        return new GateOutcome(rules.TrueForAll(r => r.Passed), rules, Metrics(run, comparison, costPerSample));
    }

    private static GateRule NonInferior(RunComparison comparison, double margin)
    {
        var paired = comparison.Paired;
        var lower = paired.Confidence95.Lower;
        var context = $"mean difference {Signed(paired.MeanDifference)} over {N(paired.Pairs)} cases";
        return lower >= -margin
            ? new GateRule(GateOutcome.NonInferiority, true, lower, -margin, $"score difference 95% lower bound {Signed(lower)} ≥ {Signed(-margin)} ({context})")
            : new GateRule(GateOutcome.NonInferiority, false, lower, -margin, $"score difference 95% lower bound {Signed(lower)} < {Signed(-margin)} (short by {F(-margin - lower)}; {context})");
    }

    private static GateRule AtLeast(string rule, string what, double actual, double threshold) =>
        actual >= threshold
            ? new GateRule(rule, true, actual, threshold, $"{what} {F(actual)} ≥ {F(threshold)}")
            : new GateRule(rule, false, actual, threshold, $"{what} {F(actual)} < {F(threshold)} (short by {F(threshold - actual)})");

    private static GateRule AtMost(string rule, string what, double actual, double threshold, string unit) =>
        actual <= threshold
            ? new GateRule(rule, true, actual, threshold, $"{what} {F(actual)}{unit} ≤ {F(threshold)}{unit}")
            : new GateRule(rule, false, actual, threshold, $"{what} {F(actual)}{unit} > {F(threshold)}{unit} (over by {F(actual - threshold)}{unit})");

    private static List<KeyValuePair<string, double?>> Metrics(RunAggregates run, RunComparison? comparison, decimal costPerSample) =>
    [
        new("sample_count", run.SampleCount),
        new("judged_count", run.JudgedCount),
        new("error_count", run.ErrorCount),
        new("pass_rate", run.PassRate?.Rate),
        new("pass_rate_lower_bound", run.PassRate?.WilsonLower),
        new("pass_rate_upper_bound", run.PassRate?.WilsonUpper),
        new("mean_score", run.MeanScore?.Mean),
        new("mean_score_lower_95", run.MeanScore?.Lower95),
        new("mean_score_upper_95", run.MeanScore?.Upper95),
        new("error_rate", run.ErrorRate),
        new("p50_latency_ms", run.P50LatencyMs),
        new("p95_latency_ms", run.P95LatencyMs),
        new("total_cost_usd", (double)run.TotalCostUsd),
        new("cost_usd_per_sample", (double)costPerSample),
        new("paired_cases", comparison?.Paired.Pairs),
        new("mean_difference", comparison?.Paired.MeanDifference),
        new("mean_difference_lower_95", comparison?.Paired.Confidence95.Lower),
        new("mean_difference_upper_95", comparison?.Paired.Confidence95.Upper),
        new("mean_difference_p_value", comparison?.Paired.PValue),
        new("regressions", comparison?.Regressions),
        new("improvements", comparison?.Improvements),
    ];

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Signed(double value) => value.ToString("+0.###;−0.###;0", CultureInfo.InvariantCulture);

    private static string Usd(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}

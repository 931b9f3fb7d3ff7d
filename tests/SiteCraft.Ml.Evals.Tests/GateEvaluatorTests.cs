using System.Text.Json;
using SiteCraft.Ml.Evals.Core.Gates;
using SiteCraft.Ml.Evals.Core.Runs;
using static SiteCraft.Ml.Evals.Tests.EvalSamples;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>Gate rules pass and fail on the run's numbers and say by how much they missed.</summary>
public sealed class GateEvaluatorTests
{
    private static readonly GatePolicy s_everyRule = new(
        MinPassRateLowerBound: 0.85,
        NonInferiorityMargin: 0.02,
        MaxErrorRate: 0.05,
        MaxP95LatencyMs: 1000,
        MaxCostUsdPerSample: 0.01m,
        MinSamples: 30);

    // 40 judged samples, all passing, 100 ms, $0.005 each: comfortably inside s_everyRule.
    private static readonly RunAggregates s_goodRun = RunAggregator.Aggregate(
        [.. Enumerable.Range(0, 40).Select(i => Judged($"case-{i}", 0, true, 1.0, latencyMs: 100, costUsd: 0.005m))], 0.9);

    // Per-case differences 0, −.02, 0, −.02: mean −.01, SE = √(.0004/3)/2, lower bound ≈ −.0213.
    private static readonly RunComparison s_slightlyWorse = RunComparer.Compare(
        [Judged("a", 0, true, 1), Judged("b", 0, true, 1), Judged("c", 0, true, 1), Judged("d", 0, true, 1)],
        [Judged("a", 0, true, 1), Judged("b", 0, true, 0.98), Judged("c", 0, true, 1), Judged("d", 0, true, 0.98)]);

    [Fact]
    public void A_run_that_meets_every_rule_passes_and_lists_them_in_order()
    {
        var outcome = GateEvaluator.Evaluate(s_everyRule with { NonInferiorityMargin = 0.03 }, s_goodRun, s_slightlyWorse);

        Assert.True(outcome.Passed);
        Assert.Equal(
            ["pass_rate_lower_bound", "non_inferiority", "max_error_rate", "p95_latency_ms", "cost_usd_per_sample", "min_samples"],
            outcome.Rules.Select(r => r.Rule));
        Assert.All(outcome.Rules, r => Assert.True(r.Passed, r.Message));
        Assert.Equal("40 judged samples ≥ 30", outcome.Rules[5].Message);
        Assert.Equal("cost per sample $0.005 ≤ $0.01", outcome.Rules[4].Message);
    }

    [Fact]
    public void A_failed_rule_says_by_how_much_it_missed()
    {
        var run = s_goodRun with
        {
            PassRate = new RateSummary(40, 50, 0.8, 0.812, 0.9),
            ErrorRate = 0.08,
            P95LatencyMs = 1250,
            TotalCostUsd = 0.6m,
            JudgedCount = 12,
        };

        var outcome = GateEvaluator.Evaluate(s_everyRule, run, s_slightlyWorse);

        Assert.False(outcome.Passed);
        Assert.Equal(
            [
                "pass rate lower bound 0.812 < 0.85 (short by 0.038)",
                "score difference 95% lower bound −0.021 < −0.02 (short by 0.001; mean difference −0.01 over 4 cases)",
                "error rate 0.08 > 0.05 (over by 0.03)",
                "p95 latency 1250 ms > 1000 ms (over by 250 ms)",
                "cost per sample $0.015 > $0.01 (over by $0.005)",
                "12 judged samples < 30 (short by 18)",
            ],
            outcome.Rules.Select(r => r.Message));
        Assert.All(outcome.Rules, r => Assert.False(r.Passed));
        var nonInferiority = outcome.Rules[1];
        Assert.Equal(-0.01 - (1.959963984540054 * Math.Sqrt(0.0004 / 3) / 2), nonInferiority.Actual, 12);
        Assert.Equal(-0.02, nonInferiority.Threshold);
    }

    [Fact]
    public void Without_a_baseline_non_inferiority_passes_saying_it_was_not_checked()
    {
        var outcome = GateEvaluator.Evaluate(new GatePolicy(NonInferiorityMargin: 0.02), s_goodRun, comparison: null);

        var rule = Assert.Single(outcome.Rules);
        Assert.True(outcome.Passed);
        Assert.Equal(("non_inferiority", true), (rule.Rule, rule.Passed));
        Assert.Contains("no baseline", rule.Message, StringComparison.Ordinal);
        Assert.Contains("\"actual\":null", outcome.ReasonsJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_the_policy_leaves_out_are_not_checked()
    {
        var outcome = GateEvaluator.Evaluate(new GatePolicy(), s_goodRun, null);

        Assert.True(outcome.Passed);
        Assert.Empty(outcome.Rules);
        Assert.Equal("[]", outcome.ReasonsJson());
    }

    [Fact]
    public void An_all_error_run_fails_on_its_unknown_pass_rate_and_its_errors()
    {
        var run = RunAggregator.Aggregate([Errored("a", 0), Errored("b", 0)], 0.9);

        var outcome = GateEvaluator.Evaluate(s_everyRule, run, null);

        Assert.False(outcome.Passed);
        Assert.Equal(["pass_rate_lower_bound", "max_error_rate", "min_samples"], outcome.Rules.Where(r => !r.Passed).Select(r => r.Rule));
        Assert.Equal("no judged samples (all 2 errored): the pass rate is unknown", outcome.Rules[0].Message);
    }

    [Fact]
    public void Reasons_metrics_and_policy_serialize_for_the_gates_table()
    {
        var outcome = GateEvaluator.Evaluate(s_everyRule, s_goodRun, s_slightlyWorse);

        using var reasons = JsonDocument.Parse(outcome.ReasonsJson());
        using var metrics = JsonDocument.Parse(outcome.MetricsJson());
        using var policy = JsonDocument.Parse(s_everyRule.ToJson());

        Assert.Equal(6, reasons.RootElement.GetArrayLength());
        Assert.Equal("pass_rate_lower_bound", reasons.RootElement[0].GetProperty("rule").GetString());
        Assert.Equal(0.85, reasons.RootElement[0].GetProperty("threshold").GetDouble());
        Assert.Equal(40, metrics.RootElement.GetProperty("judged_count").GetInt32());
        Assert.Equal(-0.01, metrics.RootElement.GetProperty("mean_difference").GetDouble(), 12);
        Assert.Equal(100, metrics.RootElement.GetProperty("p50_latency_ms").GetDouble());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(GateEvaluator.Evaluate(s_everyRule, s_goodRun, null).MetricsJson()).RootElement.GetProperty("mean_difference").ValueKind);
        Assert.Equal(0.01m, policy.RootElement.GetProperty("max_cost_usd_per_sample").GetDecimal());
        Assert.Equal(30, policy.RootElement.GetProperty("min_samples").GetInt32());
    }
}

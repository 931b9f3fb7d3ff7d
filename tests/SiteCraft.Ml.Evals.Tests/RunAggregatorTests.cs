using System.Text.Json.Nodes;
using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Core.Statistics;
using static SiteCraft.Ml.Evals.Tests.EvalSamples;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>A run's aggregates against values computed by hand.</summary>
public sealed class RunAggregatorTests
{
    // Three cases, two repeats each: a passes then fails, b is cached once, c errors once.
    private static readonly EvalSample[] s_run =
    [
        Judged("a", 0, true, 1.0, latencyMs: 100, scores: Scores(("is-json", true), ("length", true))),
        Judged("a", 1, false, 0.5, latencyMs: 200, scores: Scores(("is-json", true), ("length", false))),
        Judged("b", 0, true, 1.0, latencyMs: 300, costUsd: 0m, cached: true),
        Judged("b", 1, true, 1.0, latencyMs: 400, costUsd: 0.02m),
        Errored("c", 0, latencyMs: 500),
        Judged("c", 1, false, 0.0, latencyMs: 600),
    ];

    [Fact]
    public void Counts_rates_cost_and_tokens_add_up()
    {
        var run = RunAggregator.Aggregate(s_run, 0.6);

        Assert.Equal((6, 1, 5, 1, 3), (run.SampleCount, run.ErrorCount, run.JudgedCount, run.CachedCount, run.CaseCount));
        Assert.Equal(1.0 / 6, run.ErrorRate!.Value, 12);
        Assert.Equal(0.05m, run.TotalCostUsd);
        Assert.Equal((50L, 25L), (run.InputTokens, run.OutputTokens));
    }

    [Fact]
    public void The_pass_rate_counts_judged_samples_with_its_wilson_interval()
    {
        var run = RunAggregator.Aggregate(s_run, 0.6);

        // 3 of 5: center (0.6 + z²/10) / (1 + z²/5), half z·√(0.24/5 + z²/100) / (1 + z²/5).
        const double Z = 1.959963984540054;
        var denominator = 1 + (Z * Z / 5);
        var center = (0.6 + (Z * Z / 10)) / denominator;
        var half = Z * Math.Sqrt((0.24 / 5) + (Z * Z / 100)) / denominator;
        var rate = run.PassRate!;
        Assert.Equal((3, 5, 0.6), (rate.Passed, rate.Count, rate.Rate));
        Assert.Equal(center - half, rate.WilsonLower, 12);
        Assert.Equal(center + half, rate.WilsonUpper, 12);
        Assert.Equal(0.2307, rate.WilsonLower, 4);
        Assert.True(run.SuitePassed);
        Assert.False(RunAggregator.Aggregate(s_run, 0.61).SuitePassed);
    }

    [Fact]
    public void The_mean_score_is_clustered_by_case_when_cases_repeat()
    {
        var score = RunAggregator.Aggregate(s_run, 0.6).MeanScore!;

        // Scores 1, .5, 1, 1, 0: mean .7, deviations sum to .8 squared, s = √(.8/4), SE = s/√5 = .2.
        Assert.Equal(5, score.Count);
        Assert.Equal(0.7, score.Mean, 12);
        Assert.Equal(0.2, score.StandardError, 12);
        // Case sums of deviations: a .1, b .6, c −.7; √(3/2 · .86) / 5.
        var clustered = Math.Sqrt(1.5 * 0.86) / 5;
        Assert.Equal(clustered, score.ClusteredStandardError!.Value, 12);
        Assert.Equal((3, RunAggregator.ByCaseId), (score.Clusters, score.ClusteredBy));
        Assert.Equal(0.7 - (Normal.Z95 * clustered), score.Lower95, 12);
        Assert.Equal(0.7 + (Normal.Z95 * clustered), score.Upper95, 12);
        Assert.Equal((Normal.Z95 + Normal.Z80) * Math.Sqrt(2) * clustered, score.MinimumDetectableEffect, 12);
    }

    [Fact]
    public void Cluster_ids_win_over_cases_and_a_sample_without_one_is_its_case()
    {
        EvalSample[] samples =
        [
            Judged("a", 0, true, 1.0, clusterId: "brief-1"),
            Judged("b", 0, true, 1.0, clusterId: "brief-1"),
            Judged("c", 0, false, 0.0, clusterId: "brief-2"),
            Judged("d", 0, false, 0.0),
        ];

        var score = RunAggregator.Aggregate(samples, 0.5).MeanScore!;

        // Clusters {a, b} +1, {c} −.5, {d} −.5: √(3/2 · 1.5) / 4.
        Assert.Equal((3, RunAggregator.ByClusterId), (score.Clusters, score.ClusteredBy));
        Assert.Equal(Math.Sqrt(2.25) / 4, score.ClusteredStandardError!.Value, 12);
    }

    [Fact]
    public void One_sample_per_case_without_cluster_ids_is_not_clustered()
    {
        var score = RunAggregator.Aggregate([Judged("a", 0, true, 1), Judged("b", 0, false, 0)], 0.5).MeanScore!;

        Assert.Equal((0, RunAggregator.NotClustered), (score.Clusters, score.ClusteredBy));
        Assert.Null(score.ClusteredStandardError);
        Assert.Equal(0.5, score.StandardError, 12);
    }

    [Fact]
    public void Each_assertion_has_its_own_pass_rate()
    {
        var rates = RunAggregator.Aggregate(s_run, 0.6).AssertionPassRates;

        Assert.Equal(["is-json", "length"], rates.Keys);
        Assert.Equal((2, 2, 1.0), (rates["is-json"].Passed, rates["is-json"].Count, rates["is-json"].Rate));
        Assert.Equal((1, 2, 0.5), (rates["length"].Passed, rates["length"].Count, rates["length"].Rate));
    }

    [Fact]
    public void Latency_percentiles_skip_cached_samples_and_interpolate_like_percentile_cont()
    {
        var run = RunAggregator.Aggregate(s_run, 0.6);

        // Uncached 100, 200, 400, 500, 600: p50 at rank 2, p95 at rank 3.8 = 500 + .8 · 100.
        Assert.Equal(400, run.P50LatencyMs!.Value, 9);
        Assert.Equal(580, run.P95LatencyMs!.Value, 9);
        Assert.Equal(2.5, RunAggregator.PercentileCont([1, 2, 3, 4], 0.5));
        Assert.Equal(7, RunAggregator.PercentileCont([7], 0.95));
        Assert.Null(RunAggregator.PercentileCont([], 0.5));
    }

    [Fact]
    public void Within_case_variance_and_flaky_cases_come_from_the_repeats()
    {
        var run = RunAggregator.Aggregate(s_run, 0.6);

        // a: var(1, .5) = .125; b: var(1, 1) = 0; c has one scored repeat and is left out.
        Assert.Equal(0.0625, run.WithinCaseVariance!.Value, 12);
        Assert.Equal(["a"], run.FlakyCases);
        Assert.Null(RunAggregator.Aggregate([Judged("a", 0, true, 1)], 0.5).WithinCaseVariance);
    }

    [Fact]
    public void An_all_error_run_has_null_rates_and_fails_its_suite()
    {
        var run = RunAggregator.Aggregate([Errored("a", 0), Errored("b", 0)], 0.5);

        Assert.Equal((2, 2, 0), (run.SampleCount, run.ErrorCount, run.JudgedCount));
        Assert.Null(run.PassRate);
        Assert.Null(run.MeanScore);
        Assert.Null(run.WithinCaseVariance);
        Assert.Null(run.P95LatencyMs);
        Assert.Equal(1.0, run.ErrorRate);
        Assert.False(run.SuitePassed);
        Assert.DoesNotContain("NaN", run.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"pass_rate\":null", run.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_aggregates_round_trip_through_snake_case_json()
    {
        var run = RunAggregator.Aggregate(s_run, 0.6);

        var json = run.ToJson();
        var back = RunAggregates.FromJson(json);

        Assert.Equal(json, back.ToJson());
        Assert.Equal(run.MeanScore, back.MeanScore);
        Assert.Equal(run.PassRate, back.PassRate);
        Assert.Equal(run.TotalCostUsd, back.TotalCostUsd);
        foreach (var name in new[] { "sample_count", "judged_count", "wilson_lower", "clustered_standard_error", "assertion_pass_rates", "p95_latency_ms", "within_case_variance", "flaky_cases", "suite_passed" })
        {
            Assert.Contains($"\"{name}\":", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Assertions_read_back_in_ordinal_order_whatever_order_the_store_kept()
    {
        var json = RunAggregator.Aggregate(s_run, 0.6).ToJson();
        // jsonb keeps shorter keys first: "length" before "is-json".
        var node = JsonNode.Parse(json)!.AsObject();
        var rates = node["assertion_pass_rates"]!.AsObject();
        node["assertion_pass_rates"] = new JsonObject(rates.Reverse().Select(r => KeyValuePair.Create(r.Key, r.Value?.DeepClone())));
        var reordered = node.ToJsonString();

        Assert.NotEqual(json, reordered);
        Assert.Equal(json, RunAggregates.FromJson(reordered).ToJson());
    }

    [Fact]
    public void A_threshold_outside_zero_to_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RunAggregator.Aggregate(s_run, 1.5));
}

using CsCheck;
using SiteCraft.Ml.Evals.Core.Statistics;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>The eval statistics against closed-form values computed by hand (and checked against standard tables).</summary>
public sealed class StatisticsTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.959963984540054, 0.975)]
    [InlineData(-1.959963984540054, 0.025)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-3.0, 0.0013498980316301)]
    public void The_normal_cdf_matches_the_table(double z, double expected) =>
        Assert.Equal(expected, Normal.Cdf(z), 6);

    [Theory]
    [InlineData(1.959963984540054, 0.05)]
    [InlineData(2.5758293035489004, 0.01)]
    [InlineData(0.0, 1.0)]
    public void Two_sided_p_values_match_the_table(double z, double expected) =>
        Assert.Equal(expected, Normal.TwoSidedP(z), 6);

    [Fact]
    public void Erfc_matches_known_values()
    {
        Assert.Equal(0.157299207050285, Normal.Erfc(1), 7);
        Assert.Equal(1.842700792949715, Normal.Erfc(-1), 7);
        Assert.Equal(1.0, Normal.Erfc(0), 7);
    }

    [Fact]
    public void A_metric_has_its_mean_clt_standard_error_and_95_percent_interval()
    {
        var summary = MetricSummary.Of([1, 2, 3, 4, 5]);

        Assert.Equal(5, summary.Count);
        Assert.Equal(3.0, summary.Mean, 12);
        Assert.Equal(Math.Sqrt(2.5), summary.StandardDeviation, 12);
        Assert.Equal(Math.Sqrt(2.5 / 5), summary.StandardError, 12);
        Assert.Null(summary.ClusteredStandardError);
        Assert.Equal(3 - (1.959963984540054 * Math.Sqrt(0.5)), summary.Confidence95.Lower, 9);
        Assert.Equal(3 + (1.959963984540054 * Math.Sqrt(0.5)), summary.Confidence95.Upper, 9);
    }

    [Fact]
    public void Clustered_samples_get_the_wider_clustered_standard_error()
    {
        // Two briefs, two identical cases each: deviations +.5 +.5 | -.5 -.5, cluster sums 1 and -1.
        var summary = MetricSummary.Of([1, 1, 0, 0], ["brief-a", "brief-a", "brief-b", "brief-b"]);

        Assert.Equal(Math.Sqrt(1.0 / 3) / 2, summary.StandardError, 12);
        // √(C/(C−1) · Σ s_c²) / n = √(2 · 2) / 4.
        Assert.Equal(0.5, summary.ClusteredStandardError!.Value, 12);
        Assert.Equal(2, summary.Clusters);
        Assert.Equal(0.5 - (1.959963984540054 * 0.5), summary.Confidence95.Lower, 9);
        Assert.Equal((1.959963984540054 + 0.8416212335729143) * Math.Sqrt(2) * 0.5, summary.MinimumDetectableEffect, 9);
    }

    [Fact]
    public void With_one_sample_per_cluster_the_clustered_error_equals_the_clt_error()
    {
        Gen.Double[-10, 10].Array[3, 40].Sample(values =>
        {
            var summary = MetricSummary.Of(values, [.. values.Select((_, i) => $"c{i}")]);
            Assert.Equal(summary.StandardError, summary.ClusteredStandardError!.Value, 9);
        });
    }

    [Theory]
    [InlineData(8, 10, 0.8, 0.4901625, 0.9433178)]
    [InlineData(0, 10, 0.0, 0.0, 0.2775328)]
    [InlineData(10, 10, 1.0, 0.7224672, 1.0)]
    [InlineData(50, 100, 0.5, 0.4038315, 0.5961685)]
    public void Pass_rates_get_wilson_intervals(int passed, int count, double rate, double lower, double upper)
    {
        var summary = ProportionSummary.Of(passed, count);

        Assert.Equal(rate, summary.Rate, 12);
        Assert.Equal(lower, summary.Wilson95.Lower, 6);
        Assert.Equal(upper, summary.Wilson95.Upper, 6);
    }

    [Fact]
    public void A_paired_comparison_gives_the_mean_difference_its_error_p_value_and_detectable_effect()
    {
        // Differences 1 0 1 0 0: mean .4, sd √.3, se √.3/√5, z = .4 / se.
        var comparison = PairedComparison.Of([1, 1, 1, 0, 1], [0, 1, 0, 0, 1]);
        var se = Math.Sqrt(0.3 / 5);

        Assert.Equal(5, comparison.Pairs);
        Assert.Equal(0.4, comparison.MeanDifference, 12);
        Assert.Equal(se, comparison.StandardError, 12);
        Assert.Equal(0.4 / se, comparison.Z, 9);
        Assert.Equal(0.1024704, comparison.PValue, 5);
        Assert.Equal(0.4 - (1.959963984540054 * se), comparison.Confidence95.Lower, 9);
        Assert.Equal((1.959963984540054 + 0.8416212335729143) * se, comparison.MinimumDetectableEffect, 9);
    }

    [Fact]
    public void Identical_runs_differ_by_nothing_with_p_value_one()
    {
        var comparison = PairedComparison.Of([0.5, 0.7, 0.9], [0.5, 0.7, 0.9]);

        Assert.Equal(0, comparison.MeanDifference);
        Assert.Equal(1.0, comparison.PValue);
    }

    [Fact]
    public void Bad_input_is_refused_saying_what_is_wrong()
    {
        Assert.Contains("same cases", Assert.Throws<ArgumentException>(() => PairedComparison.Of([1, 2], [1])).Message, StringComparison.Ordinal);
        Assert.Contains("at least one value", Assert.Throws<ArgumentException>(() => MetricSummary.Of([])).Message, StringComparison.Ordinal);
        Assert.Contains("2 cluster ids for 3 values", Assert.Throws<ArgumentException>(() => MetricSummary.Of([1, 2, 3], ["a", "b"])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ProportionSummary.Of(11, 10));
    }
}

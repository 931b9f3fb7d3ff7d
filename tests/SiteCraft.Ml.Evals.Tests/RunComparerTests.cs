using SiteCraft.Ml.Evals.Core.Runs;
using static SiteCraft.Ml.Evals.Tests.EvalSamples;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>Case-by-case comparison of a candidate run with its baseline.</summary>
public sealed class RunComparerTests
{
    private static readonly EvalSample[] s_baseline =
    [
        Judged("a", 0, false, 0.5), Judged("a", 1, true, 1.0),
        Judged("b", 0, true, 1.0),
        Judged("c", 0, false, 0.0),
        Errored("d", 0),
        Judged("e", 0, true, 1.0),
    ];

    private static readonly EvalSample[] s_candidate =
    [
        Judged("a", 0, true, 1.0), Judged("a", 1, true, 1.0),
        Judged("b", 0, false, 0.5), Errored("b", 1),
        Judged("c", 0, false, 0.0),
        Judged("d", 0, true, 1.0),
    ];

    [Fact]
    public void Cases_judged_in_both_runs_are_paired_on_their_mean_over_repeats()
    {
        var comparison = RunComparer.Compare(s_baseline, s_candidate);

        // a .75 → 1 (+.25), b 1 → .5 (−.5; the errored repeat is left out), c 0 → 0.
        Assert.Equal(["b", "a", "c"], comparison.Cases.Select(c => c.CaseId));
        Assert.Equal(new CaseDifference("b", 1.0, 0.5, -0.5), comparison.Cases[0]);
        Assert.Equal(new CaseDifference("a", 0.75, 1.0, 0.25), comparison.Cases[1]);
        Assert.Equal((1, 1), (comparison.Regressions, comparison.Improvements));
        Assert.Equal((1, 1), (comparison.BaselineOnly, comparison.CandidateOnly));
    }

    [Fact]
    public void The_paired_statistics_match_the_hand_computed_values()
    {
        var paired = RunComparer.Compare(s_baseline, s_candidate).Paired;

        // Differences .25, −.5, 0: mean −1/12, Σ(d − d̄)² = 7/24, SE = √(7/24 / 2 / 3).
        Assert.Equal(3, paired.Pairs);
        Assert.Equal(-1.0 / 12, paired.MeanDifference, 12);
        Assert.Equal(Math.Sqrt(7.0 / 24 / 6), paired.StandardError, 12);
        Assert.Equal((-1.0 / 12) - (1.959963984540054 * Math.Sqrt(7.0 / 144)), paired.Confidence95.Lower, 9);
    }

    [Fact]
    public void Both_runs_pass_rates_count_every_judged_sample()
    {
        var comparison = RunComparer.Compare(s_baseline, s_candidate);

        Assert.Equal((3, 5), (comparison.BaselinePassRate.Passed, comparison.BaselinePassRate.Count));
        Assert.Equal((3, 5), (comparison.CandidatePassRate.Passed, comparison.CandidatePassRate.Count));
    }

    [Fact]
    public void Runs_without_shared_cases_cannot_be_compared()
    {
        var none = Assert.Throws<NoSharedCasesException>(() => RunComparer.Compare([Judged("a", 0, true, 1)], [Judged("b", 0, true, 1)]));
        var one = Assert.Throws<NoSharedCasesException>(() => RunComparer.Compare([Judged("a", 0, true, 1)], [Judged("a", 0, true, 1)]));

        Assert.IsAssignableFrom<ArgumentException>(none);
        Assert.Contains("share no judged case", none.Message, StringComparison.Ordinal);
        Assert.Contains("needs at least two", one.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Moves_below_the_tolerance_are_neither_regressions_nor_improvements()
    {
        var comparison = RunComparer.Compare(
            [Judged("a", 0, true, 0.3), Judged("b", 0, true, 0.7)],
            [Judged("a", 0, true, 0.1 + 0.2), Judged("b", 0, true, 0.7)]);

        Assert.Equal((0, 0), (comparison.Regressions, comparison.Improvements));
    }
}

using SiteCraft.Ml.Evals.Core.Statistics;

namespace SiteCraft.Ml.Evals.Core.Runs;

/// <summary>A pass rate with its 95% Wilson interval, flat so it stores as plain JSON numbers.</summary>
public sealed record RateSummary(int Passed, int Count, double Rate, double WilsonLower, double WilsonUpper)
{
    /// <summary>The Wilson summary of <paramref name="passed"/> passes in <paramref name="count"/> (count ≥ 1).</summary>
    public static RateSummary Of(int passed, int count)
    {
        var proportion = ProportionSummary.Of(passed, count);
        return new RateSummary(proportion.Passed, proportion.Count, proportion.Rate, proportion.Wilson95.Lower, proportion.Wilson95.Upper);
    }
}

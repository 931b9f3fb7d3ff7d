namespace SiteCraft.Ml.Evals.Core.Statistics;

/// <summary>A pass rate with its Wilson score interval, which stays inside [0, 1] and behaves at 0 and n passes.</summary>
public sealed record ProportionSummary(int Passed, int Count, double Rate, Interval Wilson95)
{
    public static ProportionSummary Of(int passed, int count)
    {
        if (count <= 0 || passed < 0 || passed > count)
        {
            throw new ArgumentOutOfRangeException(nameof(passed), $"{passed} passes of {count} is not a proportion");
        }

        var p = (double)passed / count;
        const double Z = Normal.Z95;
        var z2 = Z * Z;
        var denominator = 1 + (z2 / count);
        var center = (p + (z2 / (2 * count))) / denominator;
        var half = Z * Math.Sqrt((p * (1 - p) / count) + (z2 / (4.0 * count * count))) / denominator;
        return new ProportionSummary(passed, count, p, new Interval(Math.Max(0, center - half), Math.Min(1, center + half)));
    }
}

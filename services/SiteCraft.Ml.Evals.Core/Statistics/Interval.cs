namespace SiteCraft.Ml.Evals.Core.Statistics;

/// <summary>A two-sided confidence interval.</summary>
public readonly record struct Interval(double Lower, double Upper)
{
    public bool Contains(double value) => value >= Lower && value <= Upper;
}

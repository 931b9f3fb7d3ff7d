namespace SiteCraft.Ml.Training.Quality;

/// <summary>How the model did on held-out briefs; <see cref="Failures"/> holds the first few reasons, for the card.</summary>
public sealed record QualityReport(int Briefs, int PageValid, int SeoWithinLimits, IReadOnlyList<string> Failures)
{
    public double PageValidRate => Briefs == 0 ? 0 : (double)PageValid / Briefs;

    public double SeoWithinLimitsRate => Briefs == 0 ? 0 : (double)SeoWithinLimits / Briefs;
}

namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>Quality heuristics for site content (length, Gopher repetition, placeholders).</summary>
public sealed record QualityHeuristics(
    IReadOnlyList<string> Fields,
    int MinChars,
    int MaxChars,
    int MinWordsForRepetition,
    double MaxDuplicateLineFraction,
    double MaxDuplicateLineCharFraction,
    IReadOnlyDictionary<int, double> MaxTopNgramCharFraction,
    IReadOnlyList<PlaceholderPattern> Placeholders);

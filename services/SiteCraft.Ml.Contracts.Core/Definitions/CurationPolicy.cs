using System.Text.RegularExpressions;

namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>The contract's <c>curation</c> section: what happens to a valid record before it lands.</summary>
public sealed record CurationPolicy(
    NormalizationPolicy Normalization,
    PiiPolicy Pii,
    DedupPolicy Dedup,
    QualityHeuristics Quality);

/// <summary>Unicode NFC and whitespace normalisation of the named text fields.</summary>
public sealed record NormalizationPolicy(IReadOnlyList<string> Fields);

/// <summary>What to do when PII is found in each field; fields not named are not scanned.</summary>
public sealed record PiiPolicy(string DefaultRegion, IReadOnlyDictionary<string, PiiAction> Fields);

public enum PiiAction
{
    /// <summary>Replace each finding with a typed placeholder such as [EMAIL].</summary>
    Redact,

    /// <summary>Quarantine the record.</summary>
    Reject,

    /// <summary>Leave the field alone (ids that are pseudonymous by design).</summary>
    Allow,
}

public sealed record DedupPolicy(IReadOnlyList<string> ExactFields, MinHashSettings Near);

/// <summary>MinHash LSH: <see cref="Bands"/> × <see cref="Rows"/> = <see cref="Permutations"/>.</summary>
public sealed record MinHashSettings(
    IReadOnlyList<string> Fields,
    ShingleUnit Unit,
    int ShingleSize,
    int Permutations,
    int Bands,
    int Rows,
    double JaccardThreshold,
    double ConfirmThreshold,
    ulong Seed);

public enum ShingleUnit
{
    Word,
    Character,
}

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

public sealed record PlaceholderPattern(string Name, Regex Pattern);

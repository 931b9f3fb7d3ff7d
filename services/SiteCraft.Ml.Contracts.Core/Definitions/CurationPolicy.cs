namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>The contract's <c>curation</c> section: what happens to a valid record before it lands.</summary>
public sealed record CurationPolicy(
    NormalizationPolicy Normalization,
    PiiPolicy Pii,
    DedupPolicy Dedup,
    QualityHeuristics Quality);

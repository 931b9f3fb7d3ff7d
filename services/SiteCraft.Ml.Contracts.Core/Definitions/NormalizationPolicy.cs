namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>Unicode NFC and whitespace normalisation of the named text fields.</summary>
public sealed record NormalizationPolicy(IReadOnlyList<string> Fields);

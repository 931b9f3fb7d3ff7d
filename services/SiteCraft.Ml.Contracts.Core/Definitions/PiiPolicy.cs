namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>What to do when PII is found in each field; fields not named are not scanned.</summary>
public sealed record PiiPolicy(string DefaultRegion, IReadOnlyDictionary<string, PiiAction> Fields);

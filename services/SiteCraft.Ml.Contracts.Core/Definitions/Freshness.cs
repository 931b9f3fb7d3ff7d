namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>The SLA's freshness: the newest record's <see cref="Element"/> must be younger than <see cref="MaxAge"/>.</summary>
public sealed record Freshness(TimeSpan MaxAge, string Element);

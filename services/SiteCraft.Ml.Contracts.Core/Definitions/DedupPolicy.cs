namespace SiteCraft.Ml.Contracts.Core.Definitions;

public sealed record DedupPolicy(IReadOnlyList<string> ExactFields, MinHashSettings Near);

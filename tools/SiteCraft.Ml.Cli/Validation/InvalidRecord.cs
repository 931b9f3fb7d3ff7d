using SiteCraft.Ml.Contracts.Core.Validation;

namespace SiteCraft.Ml.Cli.Validation;

/// <summary>A record that broke its contract, by its 1-based line in the file.</summary>
public sealed record InvalidRecord(long Line, IReadOnlyList<Violation> Violations);

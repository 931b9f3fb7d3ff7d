namespace SiteCraft.Ml.Contracts.Data.Checks;

/// <summary>Every check of one contract's table; <see cref="Result"/> is the worst of them.</summary>
public sealed record ContractTestReport(string Contract, CheckResult Result, IReadOnlyList<ContractCheckResult> Checks, DateTimeOffset CheckedAt);

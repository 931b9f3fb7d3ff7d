namespace SiteCraft.Ml.Contracts.Data.Checks;

/// <summary>
/// One check of the table against its contract, named like <c>rowCount</c>,
/// <c>duplicateValues(content_sha256)</c> or <c>freshness(created_at)</c>, with what the contract
/// expects, what the table holds and a sentence a person can act on.
/// </summary>
public sealed record ContractCheckResult(string Name, CheckResult Result, string Expected, string Actual, string Message);

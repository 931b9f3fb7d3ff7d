namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>One problem in a contract file, at the line and column (both 1-based) where it is.</summary>
public sealed record ContractError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

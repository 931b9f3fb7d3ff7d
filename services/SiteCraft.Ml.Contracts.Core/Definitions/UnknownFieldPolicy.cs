namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>What validation does with a field the contract does not name.</summary>
public enum UnknownFieldPolicy
{
    /// <summary>Report it as a violation.</summary>
    Reject,

    /// <summary>Accept it as it is.</summary>
    Allow,
}

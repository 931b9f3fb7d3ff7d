namespace SiteCraft.Ml.Contracts.Core.Definitions;

public enum PiiAction
{
    /// <summary>Replace each finding with a typed placeholder such as [EMAIL].</summary>
    Redact,

    /// <summary>Quarantine the record.</summary>
    Reject,

    /// <summary>Leave the field alone (ids that are pseudonymous by design).</summary>
    Allow,
}

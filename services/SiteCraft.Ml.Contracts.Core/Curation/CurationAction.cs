namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>What a curation rule did to a record.</summary>
public enum CurationAction
{
    /// <summary>Changed the text without changing what it says (NFC, whitespace).</summary>
    Normalized,

    /// <summary>Replaced findings with typed placeholders.</summary>
    Redacted,

    /// <summary>Sent the record to quarantine; this decision is one of its reasons.</summary>
    Rejected,

    /// <summary>Found it to repeat a record already accepted.</summary>
    Duplicate,
}

namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>How a duplicate was recognised.</summary>
public enum DuplicateKind
{
    /// <summary>Same sha256 of the normalised content.</summary>
    Exact,

    /// <summary>MinHash estimate of Jaccard similarity at or above the confirm threshold.</summary>
    Near,
}

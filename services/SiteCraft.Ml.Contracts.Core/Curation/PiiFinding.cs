namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>One piece of PII found in a text: what it is and where.</summary>
public readonly record struct PiiFinding(PiiKind Kind, int Start, int Length);

namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>One generated token; the last one of a stream carries why generation ended.</summary>
public readonly record struct GeneratedToken(int Id, FinishReason? Finish);

namespace SiteCraft.Ml.Contracts.Data.Snapshots;

/// <summary>One exported file: its name in the snapshot folder, its split, lowercase hex sha256, size and line count.</summary>
public sealed record SnapshotFile(string Name, string Split, string Sha256, long Bytes, long Records);

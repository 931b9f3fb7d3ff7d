namespace SiteCraft.Ml.Contracts.Data.Snapshots;

/// <summary>The contract a snapshot's rows were validated under, with the hash of its file.</summary>
public sealed record SnapshotContract(string Id, string Version, string Sha256);

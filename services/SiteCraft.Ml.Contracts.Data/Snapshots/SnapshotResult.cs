namespace SiteCraft.Ml.Contracts.Data.Snapshots;

/// <summary>A snapshot in place and registered: its folder, its manifest and the manifest file's exact bytes and hash.</summary>
public sealed record SnapshotResult(
    string SnapshotId,
    string Directory,
    SnapshotManifest Manifest,
    string ManifestJson,
    string ManifestSha256);

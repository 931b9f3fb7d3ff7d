using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Data.Snapshots;

/// <summary>
/// What to export: the contract's rows that pass <see cref="Filters"/>, split by name to share
/// (empty means train 0.9, validation 0.1), into a snapshot named <see cref="SnapshotId"/>
/// (generated when null).
/// </summary>
public sealed record SnapshotRequest(
    DataContract Contract,
    SnapshotFilters Filters,
    IReadOnlyDictionary<string, double> SplitRatios,
    string? SnapshotId = null);

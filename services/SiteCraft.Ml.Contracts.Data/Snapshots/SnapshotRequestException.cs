namespace SiteCraft.Ml.Contracts.Data.Snapshots;

/// <summary>A snapshot request that cannot be served as asked; <see cref="Field"/> names the part to fix.</summary>
public sealed class SnapshotRequestException(string field, string message) : Exception($"{field}: {message}")
{
    /// <summary>The request field at fault, as the API names it (e.g. <c>split_ratios</c>, <c>snapshot_id</c>).</summary>
    public string Field { get; } = field;
}

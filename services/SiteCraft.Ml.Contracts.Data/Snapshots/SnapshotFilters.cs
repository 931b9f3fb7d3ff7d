namespace SiteCraft.Ml.Contracts.Data.Snapshots;

/// <summary>
/// Which of a contract's consented rows a snapshot takes. An empty list or a null bound filters
/// nothing; <see cref="CreatedBefore"/> is exclusive; a row without an online score is left out
/// once <see cref="MinOnlineScore"/> is set.
/// </summary>
public sealed record SnapshotFilters(
    IReadOnlyList<string> UseCases,
    IReadOnlyList<string> Sources,
    DateTimeOffset? CreatedFrom,
    DateTimeOffset? CreatedBefore,
    double? MinOnlineScore)
{
    public static SnapshotFilters None { get; } = new([], [], null, null, null);
}

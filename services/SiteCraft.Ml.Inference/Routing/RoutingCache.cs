namespace SiteCraft.Ml.Inference.Routing;

/// <summary>
/// The snapshot requests are routed by. Swapped whole by <see cref="RoutingCacheRefresher"/>; while
/// the database is down the last snapshot keeps serving.
/// </summary>
public sealed class RoutingCache
{
    private volatile RoutingSnapshot _current = RoutingSnapshot.Empty;
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RoutingSnapshot Current => _current;

    /// <summary>True once a snapshot has been loaded from the database.</summary>
    public bool IsLoaded => _loaded.Task.IsCompleted;

    /// <summary>Completes when the first snapshot is in.</summary>
    public Task Loaded => _loaded.Task;

    public void Replace(RoutingSnapshot snapshot)
    {
        _current = snapshot;
        _loaded.TrySetResult();
    }
}

namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>
/// Admits sequences to the engine: up to <c>maxConcurrentSequences</c> run, further ones wait in
/// FIFO order, and beyond <c>maxQueued</c> waiting a request is refused at once with
/// <see cref="EngineBusyException"/> (the service maps it to RESOURCE_EXHAUSTED).
/// </summary>
public sealed class EngineScheduler
{
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource<EngineLease>> _waiting = new();
    private int _running;

    public EngineScheduler(int maxConcurrentSequences, int maxQueued)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentSequences, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxQueued);
        MaxConcurrentSequences = maxConcurrentSequences;
        MaxQueued = maxQueued;
    }

    public int MaxConcurrentSequences { get; }

    public int MaxQueued { get; }

    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>A running slot, at once or after the requests queued before this one; cancelling a wait leaves the queue.</summary>
    public async ValueTask<EngineLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LinkedListNode<TaskCompletionSource<EngineLease>> node;
        lock (_gate)
        {
            if (_running < MaxConcurrentSequences)
            {
                _running++;
                return new EngineLease(this);
            }

            if (_waiting.Count >= MaxQueued)
            {
                throw new EngineBusyException(MaxConcurrentSequences, MaxQueued);
            }

            node = _waiting.AddLast(new TaskCompletionSource<EngineLease>(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        await using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (node.List is not null)
                {
                    _waiting.Remove(node);
                    node.Value.TrySetCanceled(cancellationToken);
                }
            }
        });
        return await node.Value.Task;
    }

    internal void Release()
    {
        lock (_gate)
        {
            // The slot passes straight to the first waiter, so the running count does not change.
            if (_waiting.First is { } next)
            {
                _waiting.RemoveFirst();
                next.Value.SetResult(new EngineLease(this));
                return;
            }

            _running--;
        }
    }
}

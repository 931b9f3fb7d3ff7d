namespace SiteCraft.Ml.Evals.Hosting;

/// <summary>Wakes the run worker when a run is created here, instead of waiting for its next poll.</summary>
public sealed class RunSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);

    public void Signal()
    {
        // One pending wake-up is enough; more would only spin the worker.
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>Returns when signalled or after <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}

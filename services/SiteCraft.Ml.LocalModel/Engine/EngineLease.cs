namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>A running slot of an <see cref="EngineScheduler"/>; disposing it hands the slot to the next waiter.</summary>
public sealed class EngineLease : IDisposable
{
    private EngineScheduler? _scheduler;

    internal EngineLease(EngineScheduler scheduler) => _scheduler = scheduler;

    public void Dispose() => Interlocked.Exchange(ref _scheduler, null)?.Release();
}

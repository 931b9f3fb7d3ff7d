namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>The engine runs its maximum of sequences and its queue is full; the request is refused at once.</summary>
public sealed class EngineBusyException(int maxConcurrent, int maxQueued)
    : Exception($"the local model is busy: {maxConcurrent} sequences running and {maxQueued} waiting")
{
    public int MaxConcurrent { get; } = maxConcurrent;

    public int MaxQueued { get; } = maxQueued;
}

namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>How the engine computes.</summary>
public sealed record EngineOptions
{
    /// <summary>Threads per sequence for the matrix-vector products, split by row blocks; 1 computes on the caller's thread alone.</summary>
    public int Threads { get; init; } = 1;

    public void Validate()
    {
        if (Threads < 1)
        {
            throw new ArgumentException("threads must be at least 1", nameof(Threads));
        }
    }
}

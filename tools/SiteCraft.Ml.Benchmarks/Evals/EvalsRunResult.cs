using SiteCraft.Ml.Benchmarks.Measurement;

namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>One run of the eval-run benchmark: the suites, their total, and the cached repeat.</summary>
public sealed record EvalsRunResult(
    MachineInfo Machine,
    string CommandLine,
    EvalsRunSettings Settings,
    DateTimeOffset StartedAt,
    IReadOnlyList<TimedRun> Runs,
    TimeSpan TotalWall,
    TimedRun Cached)
{
    public int TotalSamples => Runs.Sum(r => r.Run.DoneSamples);

    /// <summary>Every run completed, and the cached repeat came wholly from the cache.</summary>
    public bool Sound => Runs.Append(Cached).All(r => r.Run.Status == "completed") && Cached.Run.CachedSamples == Cached.Run.DoneSamples;
}

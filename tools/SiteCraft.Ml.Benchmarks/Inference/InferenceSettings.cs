namespace SiteCraft.Ml.Benchmarks.Inference;

/// <summary>How the inference benchmark runs, from the command line.</summary>
public sealed record InferenceSettings(int Sequential, int Concurrency, TimeSpan Duration, TimeSpan ConcurrentWarmup, bool RequestIds, FileInfo? Output)
{
    /// <summary>Pairs before counting: JIT, connection pools and caches settle in about this many.</summary>
    public const int SequentialWarmup = 1000;

    /// <summary>gRPC channels the concurrent callers share round-robin, each free to open more HTTP/2 connections.</summary>
    public const int Channels = 4;

    private static readonly TimeSpan s_longestBaseline = TimeSpan.FromSeconds(15);

    /// <summary>The direct baseline under load needs less time than the service run to settle.</summary>
    public TimeSpan DirectDuration => Duration < s_longestBaseline ? Duration : s_longestBaseline;
}

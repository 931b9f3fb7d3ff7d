namespace SiteCraft.Ml.Benchmarks.Measurement;

/// <summary>What a set of calls came to: latency percentiles of the successful ones, and the failures.</summary>
public sealed record CallStats(LatencySummary Latency, int Succeeded, int Failures, IReadOnlyList<string> Errors)
{
    public static CallStats Of(IReadOnlyCollection<LatencyRecorder> recorders) => new(
        LatencySummary.Of([.. recorders.SelectMany(r => r.Milliseconds)]),
        recorders.Sum(r => r.Succeeded),
        recorders.Sum(r => r.Failures),
        [.. recorders.SelectMany(r => r.Errors).Take(5)]);
}

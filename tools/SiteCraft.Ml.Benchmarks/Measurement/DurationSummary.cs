namespace SiteCraft.Ml.Benchmarks.Measurement;

/// <summary>Repeated timings of one operation: the median, and the slowest and fastest repetition.</summary>
public sealed record DurationSummary(IReadOnlyList<TimeSpan> Repetitions)
{
    public TimeSpan Median => TimeSpan.FromTicks((long)LatencySummary.Percentile([.. Repetitions.Select(r => (double)r.Ticks).Order()], 0.5));

    public TimeSpan Fastest => Repetitions.Min();

    public TimeSpan Slowest => Repetitions.Max();
}

namespace SiteCraft.Ml.Benchmarks.Measurement;

/// <summary>
/// Repeated timed passes over the same records: the median pass, and the spread. Each pass has
/// its wall time and the process's CPU time (all threads, the GC's included).
/// </summary>
public sealed record ThroughputSummary(long Records, long Bytes, IReadOnlyList<TimeSpan> Passes, IReadOnlyList<TimeSpan> ProcessorTimes, double AllocatedBytesPerRecord)
{
    public double RecordsPerSecond => Median(Passes.Select(p => Records / p.TotalSeconds));

    public double BytesPerSecond => Median(Passes.Select(p => Bytes / p.TotalSeconds));

    /// <summary>
    /// CPU time over wall time, the median of the passes: about 2 when a parallel pass had both
    /// cores, nearer 1 when other work on the shared machine held one.
    /// </summary>
    public double CoresUsed => Median(Passes.Zip(ProcessorTimes, (wall, cpu) => cpu / wall));

    public double SlowestRecordsPerSecond => Records / Passes.Max().TotalSeconds;

    public double FastestRecordsPerSecond => Records / Passes.Min().TotalSeconds;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return LatencySummary.Percentile(sorted, 0.5);
    }
}

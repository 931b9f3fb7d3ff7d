namespace SiteCraft.Ml.Benchmarks.Measurement;

/// <summary>Repeated timed passes over the same records: the median pass, and the spread.</summary>
public sealed record ThroughputSummary(long Records, long Bytes, IReadOnlyList<TimeSpan> Passes, double AllocatedBytesPerRecord)
{
    public double RecordsPerSecond => Median(Passes.Select(p => Records / p.TotalSeconds));

    public double BytesPerSecond => Median(Passes.Select(p => Bytes / p.TotalSeconds));

    public double SlowestRecordsPerSecond => Records / Passes.Max().TotalSeconds;

    public double FastestRecordsPerSecond => Records / Passes.Min().TotalSeconds;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return LatencySummary.Percentile(sorted, 0.5);
    }
}

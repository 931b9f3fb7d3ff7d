namespace SiteCraft.Ml.Benchmarks.Measurement;

/// <summary>Percentiles of one set of latencies, in milliseconds.</summary>
public sealed record LatencySummary(int Count, double P50, double P90, double P99, double Max)
{
    public static LatencySummary Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>
    /// Linear interpolation between the closest ranks, the same definition as Postgres'
    /// percentile_cont, so client-side and server-side figures compare like for like.
    /// </summary>
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return Empty;
        }

        var sorted = milliseconds.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99), sorted[^1]);
    }

    public static double Percentile(double[] sorted, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Length);
        var rank = fraction * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }
}

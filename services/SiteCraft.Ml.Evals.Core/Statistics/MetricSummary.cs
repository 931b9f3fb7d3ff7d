namespace SiteCraft.Ml.Evals.Core.Statistics;

/// <summary>
/// One metric over a run's samples: the mean with its CLT standard error and 95% interval, and,
/// when samples share clusters (cases from the same business brief), the clustered standard error,
/// which the interval then uses: correlated samples carry less information than their count says.
/// </summary>
/// <remarks>
/// StandardError is s/√n with the sample standard deviation. ClusteredStandardError is
/// √(C/(C−1) · Σ_c (Σ_{i∈c} (x_i − x̄))²) / n over C clusters (Miller 2024, eq. 4, with the usual
/// small-sample factor), which equals StandardError when every cluster holds one sample; it is
/// null without cluster ids or with a single cluster.
/// </remarks>
public sealed record MetricSummary(
    int Count,
    double Mean,
    double StandardDeviation,
    double StandardError,
    double? ClusteredStandardError,
    int Clusters,
    Interval Confidence95)
{
    /// <summary>The standard error the interval uses: clustered when there are clusters.</summary>
    public double EffectiveStandardError => ClusteredStandardError ?? StandardError;

    /// <summary>The smallest true difference from another run of this size that a two-sided 5% test detects with 80% power.</summary>
    public double MinimumDetectableEffect => (Normal.Z95 + Normal.Z80) * Math.Sqrt(2) * EffectiveStandardError;

    /// <summary>Summarizes values; <paramref name="clusters"/>, when given, holds each value's cluster id.</summary>
    public static MetricSummary Of(IReadOnlyList<double> values, IReadOnlyList<string>? clusters = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("a metric needs at least one value", nameof(values));
        }

        if (clusters is not null && clusters.Count != values.Count)
        {
            throw new ArgumentException($"{clusters.Count} cluster ids for {values.Count} values", nameof(clusters));
        }

        var n = values.Count;
        var mean = values.Average();
        var squares = values.Sum(v => (v - mean) * (v - mean));
        var sd = n > 1 ? Math.Sqrt(squares / (n - 1)) : 0.0;
        var se = n > 1 ? sd / Math.Sqrt(n) : 0.0;

        double? clustered = null;
        var clusterCount = 0;
        if (clusters is not null)
        {
            var sums = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var i = 0; i < n; i++)
            {
                sums[clusters[i]] = sums.GetValueOrDefault(clusters[i]) + (values[i] - mean);
            }

            clusterCount = sums.Count;
            if (clusterCount > 1)
            {
                var c = (double)clusterCount;
                clustered = Math.Sqrt(c / (c - 1) * sums.Values.Sum(s => s * s)) / n;
            }
        }

        var effective = clustered ?? se;
        return new MetricSummary(n, mean, sd, se, clustered, clusterCount, new Interval(mean - (Normal.Z95 * effective), mean + (Normal.Z95 * effective)));
    }
}

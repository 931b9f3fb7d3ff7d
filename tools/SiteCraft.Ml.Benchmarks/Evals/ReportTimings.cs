using SiteCraft.Ml.Benchmarks.Measurement;

namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>The run whose reports were generated, and how long each step took.</summary>
public sealed record ReportTimings(
    int Samples,
    int Errors,
    double? PassRate,
    int Cases,
    int Repeats,
    DurationSummary Aggregate,
    DurationSummary ReportJson,
    long ReportJsonBytes,
    DurationSummary IngestSql,
    long IngestSqlBytes);

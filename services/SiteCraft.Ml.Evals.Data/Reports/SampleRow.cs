namespace SiteCraft.Ml.Evals.Data.Reports;

/// <summary>A sample as the run page shows it; Output and Error are cut to the shown length, *Length is the full one.</summary>
public sealed record SampleRow(
    string CaseId,
    int Repeat,
    bool? Passed,
    double? Score,
    string ScoresJson,
    string? Error,
    int ErrorLength,
    string? Output,
    int OutputLength,
    bool Escaped,
    double? LatencyMs,
    decimal? CostUsd,
    bool Cached);

namespace SiteCraft.Ml.Evals.Pages;

/// <summary>A run with its ai_eval_run_summary figures. JudgedCount excludes errored samples.</summary>
internal sealed record RunSummary(
    Guid RunId,
    string? SuiteId,
    string? SuiteHash,
    string UseCase,
    string? TargetProvider,
    string? TargetModel,
    int? TargetPolicyVersion,
    string? Environment,
    string Status,
    int Repeats,
    Guid? BaselineRunId,
    string? GitSha,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    long SampleCount,
    long ErrorCount,
    long PassCount,
    long JudgedCount,
    long CachedCount,
    double? ErrorRate,
    double? P50LatencyMs,
    double? P95LatencyMs,
    decimal TotalCostUsd,
    long? InputTokens,
    long? OutputTokens);

/// <summary>A non-errored sample's score and the cluster its case belongs to (the case itself when it has none).</summary>
internal sealed record ScoredSample(double Score, string Cluster);

/// <summary>How often one assertion passed over a run's judged samples.</summary>
internal sealed record AssertionRate(string Name, long Count, long Passed);

/// <summary>A sample as the run page shows it; Output and Error are cut to the shown length, *Length is the full one.</summary>
internal sealed record SampleRow(
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

/// <summary>A gate decision (ai_eval_gates or ai_eval_latest_gates).</summary>
internal sealed record GateDecision(
    long GateId,
    string Environment,
    string UseCase,
    string Provider,
    string Model,
    Guid RunId,
    Guid? BaselineRunId,
    bool Passed,
    string ReasonsJson,
    DateTimeOffset DecidedAt);

/// <summary>One row of ai_eval_online_summary.</summary>
internal sealed record OnlineScore(DateOnly Day, string UseCase, string Name, long Count, double? Average);

/// <summary>A case's mean score over its non-errored repeats in one run.</summary>
internal sealed record CaseMean(Guid RunId, string CaseId, double MeanScore, long Repeats);

namespace SiteCraft.Ml.Evals.Data.Reports;

/// <summary>A gate decision (ai_eval_gates or ai_eval_latest_gates).</summary>
public sealed record StoredGate(
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

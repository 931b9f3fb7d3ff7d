using System.Text.Json.Nodes;

namespace SiteCraft.Ml.Evals.Core.Runs;

/// <summary>A run's metadata (a row of ai_eval_runs without its aggregates).</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="UseCase">The use case the suite evaluates.</param>
/// <param name="SuiteId">The suite, when the run came from a synced suite.</param>
/// <param name="SuiteHash">The suite file's content hash the run used.</param>
/// <param name="TargetProvider">The pinned provider, or null for a routing-policy target.</param>
/// <param name="TargetModel">The pinned model, or null for a routing-policy target.</param>
/// <param name="TargetPolicyVersion">The policy version that answered, for a routing-policy target.</param>
/// <param name="Environment">The routing environment the generations ran in.</param>
/// <param name="Status">pending, running, completed, failed or cancelled.</param>
/// <param name="Repeats">Samples per case.</param>
/// <param name="BaselineRunId">The run this one is compared with.</param>
/// <param name="GitSha">The commit of the suite files, when known.</param>
/// <param name="CreatedAt">When the run was created.</param>
/// <param name="StartedAt">When it started generating.</param>
/// <param name="CompletedAt">When it finished.</param>
/// <param name="Params">The generation parameters it used (ai_eval_runs.params).</param>
/// <param name="Metadata">Free-form metadata (who started it, the failure reason of a failed run).</param>
public sealed record EvalRun(
    Guid RunId,
    string UseCase,
    string? SuiteId,
    string? SuiteHash,
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
    JsonObject Params,
    JsonObject Metadata);

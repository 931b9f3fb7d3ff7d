using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.Evals.Core.Runs;

/// <summary>
/// One generation of one case in a run (a row of ai_eval_samples). A sample that errored has
/// <see cref="Error"/> set and <see cref="Passed"/> null: an error is neither a pass nor a fail.
/// </summary>
/// <param name="CaseId">The suite case it answers.</param>
/// <param name="Repeat">0 to repeats − 1: (run, case, repeat) is unique.</param>
/// <param name="Output">The generated text; null when the sample errored.</param>
/// <param name="Passed">Every weighted assertion passed; null when the sample errored.</param>
/// <param name="Score">The weighted mean of the assertion scores; null when the sample errored.</param>
/// <param name="Scores">Each assertion's result by its name (ai_eval_samples.scores).</param>
/// <param name="Error">Why no output was scored (e.g. "UNAVAILABLE: every candidate failed").</param>
/// <param name="LatencyMs">Time of the generation call; for a cached sample, of the original call.</param>
/// <param name="CostUsd">What the generation cost; 0 when cached.</param>
/// <param name="InputTokens">Prompt tokens the provider reported.</param>
/// <param name="OutputTokens">Completion tokens the provider reported.</param>
/// <param name="Cached">The output came from the response cache, not a new generation.</param>
/// <param name="ClusterId">The case's cluster (e.g. its business brief), for clustered standard errors.</param>
/// <param name="CreatedAt">When the sample was recorded.</param>
public sealed record EvalSample(
    string CaseId,
    int Repeat,
    string? Output,
    bool? Passed,
    double? Score,
    IReadOnlyDictionary<string, AssertionResult> Scores,
    string? Error,
    double? LatencyMs,
    decimal? CostUsd,
    int? InputTokens,
    int? OutputTokens,
    bool Cached,
    string? ClusterId = null,
    DateTimeOffset? CreatedAt = null);

using System.Text.Json;
using SiteCraft.Ml.Evals.Core.Runs;

namespace SiteCraft.Ml.Evals.Core.Gates;

/// <summary>
/// What a run must show before its target may be promoted for a use case. A null rule is not
/// checked. Stored as applied in ai_eval_gates.policy, so a decision stays explainable after the
/// policy file changes.
/// </summary>
/// <param name="MinPassRateLowerBound">The pass rate's 95% Wilson lower bound must reach this.</param>
/// <param name="NonInferiorityMargin">
/// The candidate's mean score may be at most this much below the baseline's: the 95% lower bound
/// of (candidate − baseline) must be ≥ −margin.
/// </param>
/// <param name="MaxErrorRate">Errored samples / samples may be at most this.</param>
/// <param name="MaxP95LatencyMs">The p95 latency of uncached samples may be at most this.</param>
/// <param name="MaxCostUsdPerSample">The run's cost / samples may be at most this.</param>
/// <param name="MinSamples">At least this many judged (not errored) samples.</param>
public sealed record GatePolicy(
    double? MinPassRateLowerBound = null,
    double? NonInferiorityMargin = null,
    double? MaxErrorRate = null,
    double? MaxP95LatencyMs = null,
    decimal? MaxCostUsdPerSample = null,
    int? MinSamples = null)
{
    /// <summary>The policy as a snake_case JSON object; rules that are off are null.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SnakeCaseJson.Options);
}

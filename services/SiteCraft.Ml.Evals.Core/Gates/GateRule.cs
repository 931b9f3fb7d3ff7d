namespace SiteCraft.Ml.Evals.Core.Gates;

/// <summary>
/// One rule's verdict. Actual is NaN when there was nothing to measure (no baseline, no uncached
/// latency); the JSON then holds null.
/// </summary>
/// <param name="Rule">The rule: pass_rate_lower_bound, non_inferiority, max_error_rate, p95_latency_ms, cost_usd_per_sample or min_samples.</param>
/// <param name="Passed">The run met it.</param>
/// <param name="Actual">What the run showed.</param>
/// <param name="Threshold">What the policy asks for.</param>
/// <param name="Message">The verdict in words, with the shortfall when it failed.</param>
public sealed record GateRule(string Rule, bool Passed, double Actual, double Threshold, string Message);

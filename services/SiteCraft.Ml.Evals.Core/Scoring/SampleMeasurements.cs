namespace SiteCraft.Ml.Evals.Core.Scoring;

/// <summary>What was measured about a generation besides its text; null when unknown.</summary>
/// <param name="LatencyMs">Time of the generation call in milliseconds.</param>
/// <param name="CostUsd">What the generation cost in US dollars.</param>
public readonly record struct SampleMeasurements(double? LatencyMs, decimal? CostUsd);

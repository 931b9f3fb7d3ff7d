namespace SiteCraft.Ml.Evals.Core.Scoring;

/// <summary>What one assertion made of an output: a score in [0, 1], pass or fail, and why.</summary>
public sealed record AssertionResult(string Type, bool Passed, double Score, string Reason);

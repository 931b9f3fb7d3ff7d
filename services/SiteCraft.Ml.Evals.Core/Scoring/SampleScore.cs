namespace SiteCraft.Ml.Evals.Core.Scoring;

/// <summary>A sample's verdict: whether every weighted assertion passed, the weighted mean score, and each result by assertion name.</summary>
public sealed record SampleScore(bool Passed, double Score, IReadOnlyDictionary<string, AssertionResult> Scores);

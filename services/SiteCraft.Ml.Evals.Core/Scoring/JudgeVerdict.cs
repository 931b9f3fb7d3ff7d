namespace SiteCraft.Ml.Evals.Core.Scoring;

/// <summary>An LLM judge's grade of one output against a rubric: a score in [0, 1] and its reason.</summary>
public sealed record JudgeVerdict(double Score, string Reason);

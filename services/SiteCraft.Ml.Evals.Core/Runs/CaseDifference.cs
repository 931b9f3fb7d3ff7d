namespace SiteCraft.Ml.Evals.Core.Runs;

/// <summary>One case's mean score in both runs and the change (candidate − baseline).</summary>
public sealed record CaseDifference(string CaseId, double Baseline, double Candidate, double Difference);

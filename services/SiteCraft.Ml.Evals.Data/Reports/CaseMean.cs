namespace SiteCraft.Ml.Evals.Data.Reports;

/// <summary>A case's mean score over its non-errored repeats in one run.</summary>
public sealed record CaseMean(Guid RunId, string CaseId, double MeanScore, long Repeats);

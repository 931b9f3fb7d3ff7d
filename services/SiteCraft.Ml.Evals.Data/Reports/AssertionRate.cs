namespace SiteCraft.Ml.Evals.Data.Reports;

/// <summary>How often one assertion passed over a run's judged samples.</summary>
public sealed record AssertionRate(string Name, long Count, long Passed);

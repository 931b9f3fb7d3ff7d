namespace SiteCraft.Ml.Evals.Data.Reports;

/// <summary>A non-errored sample's score and the cluster its case belongs to (the case itself when it has none).</summary>
public sealed record ScoredSample(double Score, string Cluster);

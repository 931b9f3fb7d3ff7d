namespace SiteCraft.Ml.Evals.Data;

/// <summary>Where a run stands: samples done out of total, errors, the rate since this process took it, and the time left at that rate.</summary>
public sealed record EvalProgress(Guid RunId, string Status, int Total, int Done, int Errors, double RatePerSecond, TimeSpan? Eta);

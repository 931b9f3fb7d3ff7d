namespace SiteCraft.Ml.Evals.Core.Runs;

/// <summary>
/// The mean score of a run's scored samples with its standard errors, 95% interval and minimum
/// detectable effect (see <see cref="Statistics.MetricSummary"/>).
/// </summary>
/// <param name="Count">Scored samples.</param>
/// <param name="Mean">Their mean score.</param>
/// <param name="StandardError">The CLT standard error s/√n.</param>
/// <param name="ClusteredStandardError">The clustered standard error, or null with fewer than two clusters.</param>
/// <param name="Clusters">Distinct clusters; 0 when the samples were not clustered.</param>
/// <param name="ClusteredBy">cluster_id, case_id or none: what grouped the samples (see <see cref="RunAggregator"/>).</param>
/// <param name="Lower95">The interval's lower end, using the clustered error when there is one.</param>
/// <param name="Upper95">The interval's upper end.</param>
/// <param name="MinimumDetectableEffect">The smallest difference from a run of this size a 5% test finds with 80% power.</param>
public sealed record ScoreSummary(
    int Count,
    double Mean,
    double StandardError,
    double? ClusteredStandardError,
    int Clusters,
    string ClusteredBy,
    double Lower95,
    double Upper95,
    double MinimumDetectableEffect);

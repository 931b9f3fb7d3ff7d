using SiteCraft.Ml.Evals.Core.Runs;

namespace SiteCraft.Ml.Evals.Core.Reports;

/// <summary>
/// A run with its aggregates and every sample: the portable eval_run_report.json that
/// <see cref="RunReportWriter"/> writes and <see cref="RunReportReader"/> reads back exactly.
/// </summary>
/// <param name="Run">The run's metadata.</param>
/// <param name="Aggregates">What the run amounts to.</param>
/// <param name="Samples">Every sample, in the order written.</param>
public sealed record RunReport(EvalRun Run, RunAggregates Aggregates, List<EvalSample> Samples)
{
    /// <summary>The report's "format" value; a reader refuses any other.</summary>
    public const string FormatId = "sitecraft-eval-run-report/1";
}

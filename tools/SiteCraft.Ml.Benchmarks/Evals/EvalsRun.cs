using SiteCraft.Ml.Benchmarks.Measurement;

namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>One run of the in-process evals benchmark.</summary>
public sealed record EvalsRun(
    MachineInfo Machine,
    string CommandLine,
    EvalsSettings Settings,
    DateTimeOffset StartedAt,
    IReadOnlyList<ScoringResult> Types,
    IReadOnlyList<ScoringResult> Suites,
    ReportTimings Reports)
{
    /// <summary>The bar for deterministic scoring, on this machine's 2 cores.</summary>
    public const double ScoringTarget = 20_000;
}

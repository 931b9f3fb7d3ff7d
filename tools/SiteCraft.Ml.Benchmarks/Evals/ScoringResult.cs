using SiteCraft.Ml.Benchmarks.Measurement;

namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>Scoring passes over one set of outputs: what was scored, how fast, and how many passed.</summary>
public sealed record ScoringResult(string Name, string Detail, string Corpus, ThroughputSummary Throughput, int Passed, int Samples)
{
    public bool TargetMet => Throughput.RecordsPerSecond >= EvalsRun.ScoringTarget;
}

using SiteCraft.Ml.Benchmarks.Measurement;

namespace SiteCraft.Ml.Benchmarks.Contracts;

/// <summary>Everything one run of the contracts benchmark measured.</summary>
public sealed record ContractsRun(
    MachineInfo Machine,
    string CommandLine,
    ContractsSettings Settings,
    DateTimeOffset StartedAt,
    string ContractKey,
    TrainingCorpus Corpus,
    ThroughputSummary Validation,
    ThroughputSummary ParallelValidation,
    int ParallelDegree,
    int InvalidFound,
    ThroughputSummary Curation,
    CurationCounts Outcomes)
{
    public const double ValidationTarget = 50_000;
    public const double CurationTarget = 10_000;

    /// <summary>The target is for one thread: the service validates a stream on one.</summary>
    public bool ValidationTargetMet => Validation.RecordsPerSecond >= ValidationTarget;

    public bool CurationTargetMet => Curation.RecordsPerSecond >= CurationTarget;

    /// <summary>Validation found exactly the planted bad records, and curation gave every record one outcome.</summary>
    public bool Sound => InvalidFound == Corpus.Invalid && Outcomes.Total == Corpus.Records.Count;
}

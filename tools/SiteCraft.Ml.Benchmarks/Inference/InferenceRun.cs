using SiteCraft.Ml.Benchmarks.Measurement;

namespace SiteCraft.Ml.Benchmarks.Inference;

/// <summary>Everything one run of the inference benchmark measured.</summary>
public sealed record InferenceRun(
    MachineInfo Machine,
    string CommandLine,
    InferenceSettings Settings,
    DateTimeOffset StartedAt,
    SequentialResult Sequential,
    ServerTimings SequentialServer,
    ConcurrentResult Service,
    ServerTimings ConcurrentServer,
    ConcurrentResult Direct,
    long RowsExpected,
    long RowsFound)
{
    public const double SequentialAddedP50TargetMs = 0.3;
    public const double ThroughputTarget = 3000;
    public const double ConcurrentAddedP99TargetMs = 2;

    public double SequentialAddedP50 => Sequential.Service.Latency.P50 - Sequential.Direct.Latency.P50;

    public double SequentialAddedP99 => Sequential.Service.Latency.P99 - Sequential.Direct.Latency.P99;

    public double ConcurrentAddedP50 => Service.Calls.Latency.P50 - Direct.Calls.Latency.P50;

    public double ConcurrentAddedP99 => Service.Calls.Latency.P99 - Direct.Calls.Latency.P99;

    public long RowsLost => Math.Max(0, RowsExpected - RowsFound);

    /// <summary>Service calls that failed; direct calls that failed are a broken benchmark, counted too.</summary>
    public int FailedCalls => Sequential.Failures + Service.Failures + Direct.Failures;

    public bool SequentialTargetMet => SequentialAddedP50 <= SequentialAddedP50TargetMs;

    /// <summary>Sustained: the whole run's rate and every slice's reach the target.</summary>
    public bool ThroughputTargetMet => Service.RequestsPerSecond >= ThroughputTarget && Service.SliceRates.All(rate => rate >= ThroughputTarget);

    public bool ConcurrentP99TargetMet => ConcurrentAddedP99 <= ConcurrentAddedP99TargetMs;

    public bool TelemetryTargetMet => RowsLost == 0 && RowsFound == RowsExpected;

    /// <summary>Correctness, not speed: every call answered and every row landed exactly once.</summary>
    public bool Sound => FailedCalls == 0 && TelemetryTargetMet;
}

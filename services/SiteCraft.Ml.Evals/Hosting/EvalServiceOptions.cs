using SiteCraft.Ml.Evals.Data;

namespace SiteCraft.Ml.Evals.Hosting;

/// <summary>The eval service's settings (configuration section "Evals").</summary>
public sealed class EvalServiceOptions
{
    /// <summary>The routing environment runs use when a request names none; defaults to SITECRAFT_ENVIRONMENT.</summary>
    public string Environment { get; set; } = "development";

    /// <summary>Where the suites are; empty means the ones shipped beside the service.</summary>
    public string? SuitesDirectory { get; set; }

    /// <summary>The gate policies file; empty means the one shipped beside the service.</summary>
    public string? GatesFile { get; set; }

    /// <summary>The environment whose serving model is the baseline for non-inferiority.</summary>
    public string ProductionEnvironment { get; set; } = "prod";

    /// <summary>Runs this replica executes at once.</summary>
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>How often the worker looks for pending or abandoned runs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often WatchRun checks progress.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public EvalRunOptions Runner { get; set; } = new();

    public NightlyOptions Nightly { get; set; } = new();

    public OnlineEvalOptions Online { get; set; } = new();
}

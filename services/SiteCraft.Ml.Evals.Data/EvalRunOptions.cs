namespace SiteCraft.Ml.Evals.Data;

/// <summary>How the runner executes runs (configuration section "Evals:Runner").</summary>
public sealed class EvalRunOptions
{
    /// <summary>Generations in flight per provider across every run of this process; "default" for the rest and for policy targets.</summary>
    public Dictionary<string, int> Concurrency { get; set; } = new(StringComparer.Ordinal) { ["default"] = 4, ["sitecraft-local"] = 2 };

    /// <summary>A run whose share of errored samples exceeds this fails (its samples are kept).</summary>
    public double MaxErrorRate { get; set; } = 0.1;

    /// <summary>The judge for llm-judge assertions without their own ("provider/model"); empty means the run's own target.</summary>
    public string? Judge { get; set; }

    public InferenceCallOptions Calls { get; set; } = new();
}

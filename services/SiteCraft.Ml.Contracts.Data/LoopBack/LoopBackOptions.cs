namespace SiteCraft.Ml.Contracts.Data.LoopBack;

/// <summary>The production loop-back (configuration section "LoopBack").</summary>
public sealed class LoopBackOptions
{
    public const string Section = "LoopBack";

    /// <summary>Run the job in the contracts service.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The contract the records are curated under.</summary>
    public string ContractId { get; set; } = "ai_training_examples";

    /// <summary>Routing environments whose generations may become training data.</summary>
    public List<string> Environments { get; set; } = ["prod"];

    /// <summary>A generation qualifies when the mean of its online-eval scores (numeric and boolean) is at least this.</summary>
    public double MinScore { get; set; } = 0.8;

    /// <summary>Only these score names count; empty means every online-eval score.</summary>
    public List<string> ScoreNames { get; set; } = [];

    /// <summary>Generations older than this are not looked at (and their partitions not scanned).</summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Generations taken per chunk; a run takes chunks until none qualify.</summary>
    public int BatchSize { get; set; } = 500;
}

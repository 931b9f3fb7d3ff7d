using System.ComponentModel.DataAnnotations;

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>Routing settings (configuration section "Routing").</summary>
public sealed class RoutingOptions
{
    public const string Section = "Routing";

    /// <summary>
    /// The environments this replica serves; the first is the default for requests that name none.
    /// Empty means SITECRAFT_ENVIRONMENT alone (single_db: staging and prod). An entry ending in '*'
    /// matches by prefix (integration tests use "test-*").
    /// </summary>
    public List<string> Environments { get; set; } = [];

    /// <summary>Environments where every arm needs a passing eval gate (prod; add staging by setting). '*' suffix matches by prefix.</summary>
    public List<string> GatedEnvironments { get; set; } = ["prod"];

    /// <summary>Reload policies this often even without a notification (a missed NOTIFY heals within it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the canary guardrail compares canary and stable arms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan GuardrailInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Fallback attempts may add at most this share of primary requests (retry budget).</summary>
    [Range(0.0, 10.0)]
    public double RetryBudgetRatio { get; set; } = 0.2;

    /// <summary>Fallback attempts always allowed per second, whatever the ratio.</summary>
    [Range(0, 1_000_000)]
    public int RetryBudgetMinPerSecond { get; set; } = 10;
}

using System.ComponentModel.DataAnnotations;

namespace SiteCraft.Ml.Inference.Generation;

/// <summary>Request limits and capture rules (configuration section "Inference").</summary>
public sealed class InferenceOptions
{
    public const string Section = "Inference";

    /// <summary>max_tokens when a request sets none.</summary>
    [Range(1, 32768)]
    public int DefaultMaxTokens { get; set; } = 1024;

    /// <summary>Largest prompt accepted, in characters (system instructions plus every message).</summary>
    [Range(1, 10_000_000)]
    public int MaxPromptChars { get; set; } = 200_000;

    /// <summary>Generations in flight on this replica before new ones get RESOURCE_EXHAUSTED.</summary>
    [Range(1, 1_000_000)]
    public int MaxConcurrentRequests { get; set; } = 2048;

    /// <summary>How long a completed unary answer is kept for a retry with the same request_id.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Bearer token for routing administration and pinned routes. Empty disables both (they answer
    /// PERMISSION_DENIED / 403), so a forgotten secret never opens them.
    /// </summary>
    public string? AdminToken { get; set; }

    /// <summary>
    /// Environments whose prompt and completion bodies may be stored (still only with the request's
    /// training_consent); elsewhere only their SHA-256 hashes. An entry ending in '*' matches by prefix.
    /// </summary>
    public List<string> CaptureBodies { get; set; } = ["development"];
}

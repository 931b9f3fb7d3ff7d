namespace SiteCraft.Ml.Inference.Telemetry;

/// <summary>
/// One generation attempt, one row of ai_generation_events (every column but recorded_at, which the
/// database stamps). A fallback is a second event with the same <see cref="GenerationId"/> and the next
/// <see cref="Attempt"/>.
/// </summary>
public sealed record GenerationEvent
{
    public required Guid EventId { get; init; }

    public required Guid GenerationId { get; init; }

    public string? RequestId { get; init; }

    /// <summary>1 for the first try; each fallback adds one.</summary>
    public short Attempt { get; init; } = 1;

    public required string Environment { get; init; }

    public string? TenantId { get; init; }

    public string? SiteId { get; init; }

    public string? UserId { get; init; }

    public string? SessionId { get; init; }

    public required string UseCase { get; init; }

    public required string Provider { get; init; }

    public string? RequestModel { get; init; }

    public string? ResponseModel { get; init; }

    public long? PolicyId { get; init; }

    public int? PolicyVersion { get; init; }

    /// <summary>"stable", "canary", "fallback" or "pinned".</summary>
    public string? Arm { get; init; }

    public string? FallbackReason { get; init; }

    /// <summary>"ok", "error" or "cancelled".</summary>
    public required string Status { get; init; }

    public string? ErrorType { get; init; }

    public string? FinishReason { get; init; }

    /// <summary>Part of the primary key and the partition key; stored with microsecond precision.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FirstTokenAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public double? LatencyMs { get; init; }

    public double? TtftMs { get; init; }

    public double? OverheadMs { get; init; }

    public int? InputTokens { get; init; }

    public int? OutputTokens { get; init; }

    /// <summary>numeric(14, 8) in the table.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>Generation parameters as JSON text (jsonb).</summary>
    public string? Params { get; init; }

    /// <summary>Free-form JSON text (jsonb).</summary>
    public string? Metadata { get; init; }

    /// <summary>The prompt messages as a JSON array of {role, content}; only with <see cref="Consent"/>, which the table requires for a body.</summary>
    public string? Prompt { get; init; }

    /// <summary>Only with <see cref="Consent"/>; the table refuses a body without it.</summary>
    public string? Completion { get; init; }

    /// <summary>Lowercase hex, see <see cref="BodyHash.Sha256Hex"/>; kept with or without consent.</summary>
    public string? PromptSha256 { get; init; }

    /// <summary>Lowercase hex, see <see cref="BodyHash.Sha256Hex"/>; kept with or without consent.</summary>
    public string? CompletionSha256 { get; init; }

    public bool Consent { get; init; }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using SiteCraft.Ml.Inference.Routing;

namespace SiteCraft.Ml.Inference.Admin;

public sealed record ArmDto(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("weight")] double Weight,
    [property: JsonPropertyName("role")] string Role);

public sealed record TargetDto(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("model")] string Model);

public sealed record PolicyDto(
    [property: JsonPropertyName("policy_id")] long PolicyId,
    [property: JsonPropertyName("environment")] string Environment,
    [property: JsonPropertyName("use_case")] string UseCase,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("salt")] string Salt,
    [property: JsonPropertyName("arms")] IReadOnlyList<ArmDto> Arms,
    [property: JsonPropertyName("fallback")] IReadOnlyList<TargetDto> Fallback,
    [property: JsonPropertyName("settings")] JsonElement Settings,
    [property: JsonPropertyName("comment")] string? Comment = null,
    [property: JsonPropertyName("created_by")] string? CreatedBy = null,
    [property: JsonPropertyName("created_at")] DateTimeOffset? CreatedAt = null)
{
    public static PolicyDto From(RoutingPolicy policy, string? comment = null, string? createdBy = null, DateTimeOffset? createdAt = null) => new(
        policy.PolicyId,
        policy.Environment,
        policy.UseCase,
        policy.Version,
        policy.Salt,
        [.. policy.Arms.Select(a => new ArmDto(a.Provider, a.Model, a.Weight, a.Role == ArmRole.Canary ? "canary" : "stable"))],
        [.. policy.Fallback.Select(f => new TargetDto(f.Provider, f.Model))],
        JsonDocument.Parse(PolicyJson.SettingsToJson(policy.Settings)).RootElement.Clone(),
        comment,
        createdBy,
        createdAt);
}

public sealed record PolicyHistoryDto(
    [property: JsonPropertyName("active")] PolicyDto Active,
    [property: JsonPropertyName("previous_policy_id")] long? PreviousPolicyId,
    [property: JsonPropertyName("versions")] IReadOnlyList<PolicyDto> Versions);

/// <summary>A new policy version. arms, fallback and settings use the ai_routing_policies JSON shapes.</summary>
public sealed record PublishPolicyRequest(
    [property: JsonPropertyName("arms")] JsonElement Arms,
    [property: JsonPropertyName("fallback")] JsonElement? Fallback,
    [property: JsonPropertyName("settings")] JsonElement? Settings,
    [property: JsonPropertyName("salt")] string? Salt,
    [property: JsonPropertyName("comment")] string? Comment);

public sealed record CanaryShareRequest([property: JsonPropertyName("share_percent")] double SharePercent);

public sealed record RollbackRequest([property: JsonPropertyName("reason")] string? Reason);

public sealed record ExplainRequest(
    [property: JsonPropertyName("environment")] string? Environment,
    [property: JsonPropertyName("use_case")] string UseCase,
    [property: JsonPropertyName("tenant_id")] string? TenantId,
    [property: JsonPropertyName("site_id")] string? SiteId,
    [property: JsonPropertyName("session_id")] string? SessionId,
    [property: JsonPropertyName("allow_fallback")] bool? AllowFallback,
    [property: JsonPropertyName("max_cost_usd")] double? MaxCostUsd,
    [property: JsonPropertyName("prompt_chars")] int? PromptChars,
    [property: JsonPropertyName("max_tokens")] int? MaxTokens);

public sealed record ExplainResponse(
    [property: JsonPropertyName("environment")] string Environment,
    [property: JsonPropertyName("use_case")] string UseCase,
    [property: JsonPropertyName("policy_version")] int? PolicyVersion,
    [property: JsonPropertyName("subject_hash")] string SubjectHash,
    [property: JsonPropertyName("attempts")] IReadOnlyList<ExplainAttempt> Attempts,
    [property: JsonPropertyName("skipped")] IReadOnlyList<ExplainSkip> Skipped,
    [property: JsonPropertyName("explanation")] string Explanation);

public sealed record ExplainAttempt(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("arm")] string Arm,
    [property: JsonPropertyName("circuit")] string Circuit);

public sealed record ExplainSkip(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("arm")] string Arm,
    [property: JsonPropertyName("reason")] string Reason);

public sealed record CommandResult(
    [property: JsonPropertyName("changed")] IReadOnlyList<string> Changed,
    [property: JsonPropertyName("skipped")] IReadOnlyList<string> Skipped);

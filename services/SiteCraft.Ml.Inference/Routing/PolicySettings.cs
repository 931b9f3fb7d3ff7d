namespace SiteCraft.Ml.Inference.Routing;

/// <summary>The settings jsonb of a policy version; keys missing from the JSON take these defaults.</summary>
public sealed record PolicySettings(TimeSpan AttemptTimeout, GuardrailSettings Guardrails, BreakerSettings Breaker)
{
    public static PolicySettings Default { get; } = new(TimeSpan.FromSeconds(30), GuardrailSettings.Default, BreakerSettings.Default);
}

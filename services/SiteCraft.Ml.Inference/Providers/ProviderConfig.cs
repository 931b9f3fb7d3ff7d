namespace SiteCraft.Ml.Inference.Providers;

/// <summary>One row of ai_provider_settings joined with its ai_providers kind.</summary>
/// <remarks>ApiKeySetting: The configuration key that holds the API key (never the key itself).</remarks>
public sealed record ProviderConfig(
    string Environment,
    string Provider,
    string Kind,
    string? BaseUrl,
    string? ApiKeySetting,
    bool Enabled);

/// <summary>One row of ai_models: what a model costs and how much it takes.</summary>
public sealed record ModelInfo(
    string Provider,
    string Model,
    decimal InputUsdPerMillionTokens,
    decimal OutputUsdPerMillionTokens,
    int? ContextWindow,
    int? MaxOutputTokens)
{
    public decimal CostUsd(long inputTokens, long outputTokens) =>
        ((inputTokens * InputUsdPerMillionTokens) + (outputTokens * OutputUsdPerMillionTokens)) / 1_000_000m;
}

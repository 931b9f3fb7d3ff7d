using Microsoft.Extensions.AI;

namespace SiteCraft.Ml.Inference.Providers;

/// <summary>
/// Makes chat clients for one kind of provider (ai_providers.kind). The registry holds one factory
/// per kind; the local model registers its own (kind "local") the same way.
/// </summary>
public interface IProviderClientFactory
{
    /// <summary>The ai_providers.kind this factory serves.</summary>
    string Kind { get; }

    /// <summary>Why the provider cannot be used with this configuration, or null when it can.</summary>
    string? DisabledReason(ProviderConfig config, string? apiKey);

    /// <summary>A client for one model. Called once per (provider, model, settings); the result is cached.</summary>
    IChatClient Create(ProviderConfig config, string? apiKey, string model, HttpClient http);
}

using Anthropic;
using Microsoft.Extensions.AI;

namespace SiteCraft.Ml.Inference.Providers;

/// <summary>Anthropic's Messages API (POST {base_url}/v1/messages) through the official SDK.</summary>
public sealed class AnthropicClientFactory : IProviderClientFactory
{
    public string Kind => "anthropic";

    public string? DisabledReason(ProviderConfig config, string? apiKey)
    {
        if (config.BaseUrl is { Length: > 0 } baseUrl && !Uri.TryCreate(baseUrl, UriKind.Absolute, out _))
        {
            return $"base_url '{baseUrl}' is not an absolute URL";
        }

        return string.IsNullOrEmpty(apiKey)
            ? $"no API key: set configuration key {config.ApiKeySetting ?? "(api_key_setting is empty in ai_provider_settings)"}"
            : null;
    }

    public IChatClient Create(ProviderConfig config, string? apiKey, string model, HttpClient http)
    {
        var client = config.BaseUrl is { Length: > 0 } baseUrl
            ? new AnthropicClient
            {
                ApiKey = apiKey,
                HttpClient = http,
                BaseUrl = baseUrl,
                // Fallback and the retry budget live in the router, not in the SDK.
                MaxRetries = 0,
                Timeout = TimeSpan.FromMinutes(30),
            }
            : new AnthropicClient { ApiKey = apiKey, HttpClient = http, MaxRetries = 0, Timeout = TimeSpan.FromMinutes(30) };
        return client.AsIChatClient(model);
    }
}

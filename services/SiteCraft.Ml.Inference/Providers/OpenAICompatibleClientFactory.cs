using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace SiteCraft.Ml.Inference.Providers;

/// <summary>
/// OpenAI chat completions and every server that speaks them (Azure OpenAI's v1 endpoint, vLLM,
/// Ollama, llama.cpp server). A provider with no api_key_setting needs no key (local servers).
/// </summary>
public sealed class OpenAICompatibleClientFactory : IProviderClientFactory
{
    public string Kind => "openai-compatible";

    public string? DisabledReason(ProviderConfig config, string? apiKey)
    {
        if (string.IsNullOrWhiteSpace(config.BaseUrl))
        {
            return "no base_url in ai_provider_settings";
        }

        if (!Uri.TryCreate(config.BaseUrl, UriKind.Absolute, out _))
        {
            return $"base_url '{config.BaseUrl}' is not an absolute URL";
        }

        return config.ApiKeySetting is not null && string.IsNullOrEmpty(apiKey)
            ? $"no API key: set configuration key {config.ApiKeySetting}"
            : null;
    }

    public IChatClient Create(ProviderConfig config, string? apiKey, string model, HttpClient http)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(config.BaseUrl!),
            Transport = new HttpClientPipelineTransport(http),
            // Fallback and the retry budget live in the router; a retry inside the SDK would hide
            // a failing provider and multiply load during an outage.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // The router cancels each attempt at its own timeout, inside the caller's deadline.
            NetworkTimeout = TimeSpan.FromMinutes(30),
        };
        // Servers without keys (vLLM, Ollama) still get a non-empty credential, which they ignore.
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey), options);
        return client.GetChatClient(model).AsIChatClient();
    }
}

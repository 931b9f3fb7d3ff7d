using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using Microsoft.Extensions.AI;
using OpenAI;
using SiteCraft.Ml.FakeProviders;

namespace SiteCraft.Ml.Inference.Tests.FakeProviders;

/// <summary>
/// The real SDK clients, built the way the inference service builds them: SDK retries off,
/// because the service does its own fallback and a retry inside the SDK would hide failures.
/// </summary>
internal static class ProviderClients
{
    public const string Key = "test-key";

    public static IChatClient OpenAI(FakeProviderServer server, string model, string apiKey = Key, TimeSpan? networkTimeout = null) =>
        new OpenAIClient(new ApiKeyCredential(apiKey), new OpenAIClientOptions
        {
            Endpoint = server.BaseUrl,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = networkTimeout,
        }).GetChatClient(model).AsIChatClient();

    public static IChatClient Anthropic(FakeProviderServer server, string model, string apiKey = Key, TimeSpan? timeout = null) =>
        new AnthropicClient
        {
            BaseUrl = server.BaseUrl.ToString(),
            ApiKey = apiKey,
            MaxRetries = 0,
            Timeout = timeout,
        }.AsIChatClient(model);
}

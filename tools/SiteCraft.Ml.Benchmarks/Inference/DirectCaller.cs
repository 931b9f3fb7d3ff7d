using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace SiteCraft.Ml.Benchmarks.Inference;

/// <summary>
/// The fake provider called directly, with the client stack the service builds for an
/// OpenAI-compatible provider (OpenAI SDK, no SDK retries, Microsoft.Extensions.AI adapter): the
/// baseline the service's added latency is measured against. Thread-safe.
/// </summary>
public sealed class DirectCaller : IDisposable
{
    private readonly IChatClient _client;
    private readonly ChatMessage[] _messages = [new(ChatRole.User, BenchPrompt.Text)];
    private readonly ChatOptions _options = new() { MaxOutputTokens = BenchPrompt.MaxTokens };

    public DirectCaller(Uri baseUrl, string apiKey, string model)
    {
        var options = new OpenAIClientOptions { Endpoint = baseUrl, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) };
        _client = new OpenAIClient(new ApiKeyCredential(apiKey), options).GetChatClient(model).AsIChatClient();
    }

    public async Task CallAsync(CancellationToken cancellationToken)
    {
        var response = await _client.GetResponseAsync(_messages, _options, cancellationToken);
        if (!string.Equals(response.Text, BenchPrompt.ExpectedAnswer, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the fake server answered '{response.Text}'");
        }
    }

    public void Dispose() => _client.Dispose();
}

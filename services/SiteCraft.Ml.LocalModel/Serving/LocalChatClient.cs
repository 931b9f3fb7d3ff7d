using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace SiteCraft.Ml.LocalModel.Serving;

/// <summary>
/// The local model as a Microsoft.Extensions.AI chat client (provider <c>sitecraft-local</c>).
/// Each call resolves the artifact to use once, at its start, and keeps it to the end: a model
/// promoted meanwhile serves the next call, and no call in flight is dropped.
/// </summary>
/// <param name="resolve">The artifact for a requested model id, and the id it is served as (<c>name@version</c>).</param>
/// <param name="model">The model id this client was made for.</param>
public sealed class LocalChatClient(Func<string, ServedArtifact> resolve, string model) : IChatClient
{
    public const string ProviderName = "sitecraft-local";

    /// <summary>ChatOptions.AdditionalProperties key: when true, a prompt longer than the context is cut instead of refused.</summary>
    public const string TruncatePromptProperty = "truncate_prompt";

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var served = resolve(options?.ModelId ?? model);
        var result = await served.Artifact.CompleteAsync(Turns(messages), Settings(options), cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, result.Text))
        {
            ModelId = served.ModelId,
            ResponseId = Guid.NewGuid().ToString("N"),
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = Finish(result.Finish),
            Usage = Usage(result.PromptTokens, result.CompletionTokens),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var served = resolve(options?.ModelId ?? model);
        var responseId = Guid.NewGuid().ToString("N");
        await foreach (var update in served.Artifact.StreamAsync(Turns(messages), Settings(options), cancellationToken))
        {
            var chunk = new ChatResponseUpdate(ChatRole.Assistant, update.Text)
            {
                ModelId = served.ModelId,
                ResponseId = responseId,
                MessageId = responseId,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            if (update.Finish is { } finish)
            {
                chunk.FinishReason = Finish(finish);
                chunk.Contents.Add(new UsageContent(Usage(update.PromptTokens, update.CompletionTokens)));
            }

            yield return chunk;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(ProviderName, null, model)
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static List<(string Role, string Content)> Turns(IEnumerable<ChatMessage> messages)
    {
        var turns = new List<(string, string)>();
        foreach (var message in messages)
        {
            var role = message.Role == ChatRole.System ? "system"
                : message.Role == ChatRole.User ? "user"
                : message.Role == ChatRole.Assistant ? "assistant"
                : throw new ArgumentException($"the local model has no '{message.Role}' role; use system, user or assistant", nameof(messages));
            var text = new StringBuilder();
            foreach (var content in message.Contents)
            {
                text.Append(content is TextContent t ? t.Text : throw new ArgumentException($"the local model reads text only, not {content.GetType().Name}", nameof(messages)));
            }

            turns.Add((role, text.ToString()));
        }

        return turns;
    }

    /// <summary>Unset sampling means greedy: the small model is at its most reliable there.</summary>
    private static GenerationSettings Settings(ChatOptions? options) => new()
    {
        Temperature = options?.Temperature ?? 0f,
        TopP = options?.TopP ?? 1f,
        TopK = options?.TopK ?? 0,
        Seed = options?.Seed,
        MaxTokens = options?.MaxOutputTokens ?? 256,
        StopSequences = options?.StopSequences is { } stops ? [.. stops] : [],
        TruncatePrompt = options?.AdditionalProperties?.TryGetValue(TruncatePromptProperty, out bool truncate) == true && truncate,
        JsonOutput = options?.ResponseFormat is ChatResponseFormatJson,
    };

    private static ChatFinishReason Finish(GenerationFinish finish) =>
        finish == GenerationFinish.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length;

    private static UsageDetails Usage(int input, int output) => new()
    {
        InputTokenCount = input,
        OutputTokenCount = output,
        TotalTokenCount = input + output,
    };
}

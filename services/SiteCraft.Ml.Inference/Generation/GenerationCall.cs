using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SiteCraft.Ml.Inference.Telemetry;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Inference.Generation;

/// <summary>
/// One generation in flight: the request as the providers will see it, its clock, and what every
/// attempt row shares (scope, params, metadata, prompt hash).
/// </summary>
public sealed class GenerationCall
{
    private string? _promptSha256;
    private string? _promptText;

    public GenerationCall(ValidatedRequest validated, bool captureBodies, DateTimeOffset startedAt, long startedTimestamp)
    {
        Validated = validated;
        GenerationId = Guid.CreateVersion7(startedAt);
        StartedAt = startedAt;
        StartedTimestamp = startedTimestamp;
        var request = validated.Request;
        Consent = request.TrainingConsent;
        StoreBodies = captureBodies && request.TrainingConsent;

        Messages = new List<ChatMessage>(request.Messages.Count + 1);
        if (request.SystemInstructions.Length > 0)
        {
            Messages.Add(new ChatMessage(ChatRole.System, request.SystemInstructions));
        }

        foreach (var message in request.Messages)
        {
            Messages.Add(new ChatMessage(message.Role == Role.Assistant ? ChatRole.Assistant : ChatRole.User, message.Text));
        }

        Params = ParamsJson(request, validated.MaxTokens);
        Metadata = request.Metadata.Count == 0 ? null : JsonSerializer.Serialize(request.Metadata, GenerationJson.Default.IDictionaryStringString);
    }

    public ValidatedRequest Validated { get; }

    public GenerateRequest Request => Validated.Request;

    public Guid GenerationId { get; }

    public DateTimeOffset StartedAt { get; }

    public long StartedTimestamp { get; }

    public List<ChatMessage> Messages { get; }

    public bool Consent { get; }

    /// <summary>Bodies go into telemetry only with consent and where the environment allows it.</summary>
    public bool StoreBodies { get; }

    public string Params { get; }

    public string? Metadata { get; }

    /// <summary>Time spent waiting on providers, summed over attempts; the rest is our overhead.</summary>
    public TimeSpan ProviderTime { get; set; }

    /// <summary>Rough input size for cost limits before the provider counts: ~4 characters a token.</summary>
    public long EstimatedInputTokens => (Validated.PromptChars + 3) / 4;

    /// <summary>
    /// The prompt as stored in ai_generation_events.prompt: a JSON array of <c>{role, content}</c>,
    /// the shape of a training record's messages, so the production loop-back reads it back exactly.
    /// </summary>
    public string PromptText => _promptText ??= PromptJson(Messages);

    public string PromptSha256 => _promptSha256 ??= BodyHash.Sha256Hex(PromptText);

    private static string PromptJson(List<ChatMessage> messages)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role"u8, message.Role.Value);
                writer.WriteString("content"u8, message.Text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public TimeSpan Elapsed(long timestamp) => Stopwatch.GetElapsedTime(StartedTimestamp, timestamp);

    public DateTimeOffset At(long timestamp) => StartedAt + Elapsed(timestamp);

    public ChatOptions OptionsFor(string model)
    {
        var p = Request.Params;
        var options = new ChatOptions
        {
            ModelId = model,
            MaxOutputTokens = Validated.MaxTokens,
        };
        if (p is null)
        {
            return options;
        }

        if (p.HasTemperature)
        {
            options.Temperature = p.Temperature;
        }

        if (p.HasTopP)
        {
            options.TopP = p.TopP;
        }

        if (p.HasSeed)
        {
            options.Seed = p.Seed;
        }

        if (p.Stop.Count > 0)
        {
            options.StopSequences = [.. p.Stop];
        }

        if (p.ResponseFormat?.Kind == ResponseFormat.Types.Kind.Json)
        {
            options.ResponseFormat = Validated.JsonSchema is { } schema
                ? ChatResponseFormat.ForJsonSchema(schema, schemaName: Validated.UseCase.Id.Replace('.', '_'))
                : ChatResponseFormat.Json;
        }

        return options;
    }

    private static string ParamsJson(GenerateRequest request, int maxTokens)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("max_tokens", maxTokens);
            if (request.Params is { } p)
            {
                if (p.HasTemperature)
                {
                    json.WriteNumber("temperature", p.Temperature);
                }

                if (p.HasTopP)
                {
                    json.WriteNumber("top_p", p.TopP);
                }

                if (p.HasSeed)
                {
                    json.WriteNumber("seed", p.Seed);
                }

                if (p.Stop.Count > 0)
                {
                    json.WriteStartArray("stop");
                    foreach (var stop in p.Stop)
                    {
                        json.WriteStringValue(stop);
                    }

                    json.WriteEndArray();
                }

                if (p.ResponseFormat is { } format)
                {
                    json.WriteString("response_format", format.Kind == ResponseFormat.Types.Kind.Json ? "json" : "text");
                    if (format.JsonSchema.Length > 0)
                    {
                        json.WriteString("json_schema_sha256", BodyHash.Sha256Hex(format.JsonSchema));
                    }
                }
            }

            if (request.Routing is { } routing)
            {
                if (routing.HasAllowFallback)
                {
                    json.WriteBoolean("allow_fallback", routing.AllowFallback);
                }

                if (routing.HasMaxCostUsd)
                {
                    json.WriteNumber("max_cost_usd", routing.MaxCostUsd);
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

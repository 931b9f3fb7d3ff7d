namespace SiteCraft.Ml.FakeProviders;

/// <summary>OpenAI chat completions: <c>POST /v1/chat/completions</c>, <c>data:</c> chunks, <c>data: [DONE]</c>.</summary>
internal sealed class OpenAIWireFormat : WireFormat
{
    public override string Path => "/v1/chat/completions";

    public override string? PresentedKey(HttpRequest request, string expected) => BearerKey(request, expected);

    public override void WriteCompletion(Utf8JsonWriter json, in Completion completion)
    {
        json.WriteStartObject();
        WriteHeader(json, completion, "chat.completion"u8);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, 0);
        json.WriteStartObject("message"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteString("content"u8, completion.Text);
        json.WriteNull("refusal"u8);
        json.WriteEndObject();
        json.WriteNull("logprobs"u8);
        json.WriteString("finish_reason"u8, "stop"u8);
        json.WriteEndObject();
        json.WriteEndArray();
        WriteUsage(json, completion);
        json.WriteEndObject();
    }

    public override void WriteStreamStart(PipeWriter output, Utf8JsonWriter json, in Completion completion)
    {
    }

    public override void WriteStreamDelta(PipeWriter output, Utf8JsonWriter json, in Completion completion, ReadOnlySpan<char> text, int index)
    {
        BeginEvent(output, json, "data: "u8);
        json.WriteStartObject();
        WriteHeader(json, completion, "chat.completion.chunk"u8);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, 0);
        json.WriteStartObject("delta"u8);
        if (index == 0)
        {
            json.WriteString("role"u8, "assistant"u8);
        }

        json.WriteString("content"u8, text);
        json.WriteEndObject();
        json.WriteNull("logprobs"u8);
        json.WriteNull("finish_reason"u8);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        EndEvent(output, json);
    }

    public override void WriteStreamEnd(PipeWriter output, Utf8JsonWriter json, in Completion completion, bool includeUsage)
    {
        BeginEvent(output, json, "data: "u8);
        json.WriteStartObject();
        WriteHeader(json, completion, "chat.completion.chunk"u8);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, 0);
        json.WriteStartObject("delta"u8);
        json.WriteEndObject();
        json.WriteNull("logprobs"u8);
        json.WriteString("finish_reason"u8, "stop"u8);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        EndEvent(output, json);

        if (includeUsage)
        {
            BeginEvent(output, json, "data: "u8);
            json.WriteStartObject();
            WriteHeader(json, completion, "chat.completion.chunk"u8);
            json.WriteStartArray("choices"u8);
            json.WriteEndArray();
            WriteUsage(json, completion);
            json.WriteEndObject();
            EndEvent(output, json);
        }

        output.Write("data: [DONE]\n\n"u8);
    }

    protected override void WriteError(Utf8JsonWriter json, int status)
    {
        var (type, code) = status switch
        {
            StatusCodes.Status401Unauthorized => ("invalid_request_error", "invalid_api_key"),
            StatusCodes.Status429TooManyRequests => ("requests", "rate_limit_exceeded"),
            >= 500 => ("server_error", null),
            _ => ("invalid_request_error", null),
        };
        json.WriteStartObject();
        json.WriteStartObject("error"u8);
        json.WriteString("message"u8, ErrorMessage(status));
        json.WriteString("type"u8, type);
        json.WriteNull("param"u8);
        json.WriteString("code"u8, code);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteHeader(Utf8JsonWriter json, in Completion completion, ReadOnlySpan<byte> objectType)
    {
        WriteId(json, "chatcmpl-fake-", completion.Sequence);
        json.WriteString("object"u8, objectType);
        json.WriteNumber("created"u8, completion.Created);
        json.WriteString("model"u8, completion.Model);
    }

    private static void WriteUsage(Utf8JsonWriter json, in Completion completion)
    {
        json.WriteStartObject("usage"u8);
        json.WriteNumber("prompt_tokens"u8, completion.InputTokens);
        json.WriteNumber("completion_tokens"u8, completion.OutputTokens);
        json.WriteNumber("total_tokens"u8, completion.InputTokens + completion.OutputTokens);
        json.WriteEndObject();
    }
}

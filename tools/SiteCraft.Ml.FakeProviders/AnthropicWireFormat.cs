namespace SiteCraft.Ml.FakeProviders;

/// <summary>
/// Anthropic messages: <c>POST /v1/messages</c>, named events from <c>message_start</c> to
/// <c>message_stop</c>. The key is accepted as <c>x-api-key</c> or <c>Authorization: Bearer</c>
/// because the SDK sends the latter.
/// </summary>
internal sealed class AnthropicWireFormat : WireFormat
{
    public override string Path => "/v1/messages";

    public override string? PresentedKey(HttpRequest request, string expected)
    {
        string? header = request.Headers["x-api-key"];
        if (header is null)
        {
            return BearerKey(request, expected);
        }

        return string.Equals(header, expected, StringComparison.Ordinal) ? expected : header;
    }

    public override void WriteCompletion(Utf8JsonWriter json, in Completion completion)
    {
        json.WriteStartObject();
        WriteId(json, "msg_fake_", completion.Sequence);
        json.WriteString("type"u8, "message"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteString("model"u8, completion.Model);
        json.WriteStartArray("content"u8);
        json.WriteStartObject();
        json.WriteString("type"u8, "text"u8);
        json.WriteString("text"u8, completion.Text);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteString("stop_reason"u8, "end_turn"u8);
        json.WriteNull("stop_sequence"u8);
        WriteUsage(json, completion.InputTokens, completion.OutputTokens);
        json.WriteEndObject();
    }

    public override void WriteStreamStart(PipeWriter output, Utf8JsonWriter json, in Completion completion)
    {
        BeginEvent(output, json, "event: message_start\ndata: "u8);
        json.WriteStartObject();
        json.WriteString("type"u8, "message_start"u8);
        json.WriteStartObject("message"u8);
        WriteId(json, "msg_fake_", completion.Sequence);
        json.WriteString("type"u8, "message"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteString("model"u8, completion.Model);
        json.WriteStartArray("content"u8);
        json.WriteEndArray();
        json.WriteNull("stop_reason"u8);
        json.WriteNull("stop_sequence"u8);
        WriteUsage(json, completion.InputTokens, outputTokens: 0);
        json.WriteEndObject();
        json.WriteEndObject();
        EndEvent(output, json);

        BeginEvent(output, json, "event: content_block_start\ndata: "u8);
        json.WriteStartObject();
        json.WriteString("type"u8, "content_block_start"u8);
        json.WriteNumber("index"u8, 0);
        json.WriteStartObject("content_block"u8);
        json.WriteString("type"u8, "text"u8);
        json.WriteString("text"u8, ""u8);
        json.WriteEndObject();
        json.WriteEndObject();
        EndEvent(output, json);
    }

    public override void WriteStreamDelta(PipeWriter output, Utf8JsonWriter json, in Completion completion, ReadOnlySpan<char> text, int index)
    {
        BeginEvent(output, json, "event: content_block_delta\ndata: "u8);
        json.WriteStartObject();
        json.WriteString("type"u8, "content_block_delta"u8);
        json.WriteNumber("index"u8, 0);
        json.WriteStartObject("delta"u8);
        json.WriteString("type"u8, "text_delta"u8);
        json.WriteString("text"u8, text);
        json.WriteEndObject();
        json.WriteEndObject();
        EndEvent(output, json);
    }

    public override void WriteStreamEnd(PipeWriter output, Utf8JsonWriter json, in Completion completion, bool includeUsage)
    {
        BeginEvent(output, json, "event: content_block_stop\ndata: "u8);
        json.WriteStartObject();
        json.WriteString("type"u8, "content_block_stop"u8);
        json.WriteNumber("index"u8, 0);
        json.WriteEndObject();
        EndEvent(output, json);

        BeginEvent(output, json, "event: message_delta\ndata: "u8);
        json.WriteStartObject();
        json.WriteString("type"u8, "message_delta"u8);
        json.WriteStartObject("delta"u8);
        json.WriteString("stop_reason"u8, "end_turn"u8);
        json.WriteNull("stop_sequence"u8);
        json.WriteEndObject();
        json.WriteStartObject("usage"u8);
        json.WriteNumber("output_tokens"u8, completion.OutputTokens);
        json.WriteEndObject();
        json.WriteEndObject();
        EndEvent(output, json);

        output.Write("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8);
    }

    protected override void WriteError(Utf8JsonWriter json, int status)
    {
        var type = status switch
        {
            StatusCodes.Status401Unauthorized => "authentication_error",
            StatusCodes.Status403Forbidden => "permission_error",
            StatusCodes.Status404NotFound => "not_found_error",
            StatusCodes.Status413PayloadTooLarge => "request_too_large",
            StatusCodes.Status429TooManyRequests => "rate_limit_error",
            529 => "overloaded_error",
            >= 500 => "api_error",
            _ => "invalid_request_error",
        };
        json.WriteStartObject();
        json.WriteString("type"u8, "error"u8);
        json.WriteStartObject("error"u8);
        json.WriteString("type"u8, type);
        json.WriteString("message"u8, ErrorMessage(status));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter json, int inputTokens, int outputTokens)
    {
        json.WriteStartObject("usage"u8);
        json.WriteNumber("input_tokens"u8, inputTokens);
        json.WriteNumber("output_tokens"u8, outputTokens);
        json.WriteNumber("cache_creation_input_tokens"u8, 0);
        json.WriteNumber("cache_read_input_tokens"u8, 0);
        json.WriteEndObject();
    }
}

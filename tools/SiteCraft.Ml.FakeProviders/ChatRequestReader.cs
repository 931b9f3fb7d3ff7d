namespace SiteCraft.Ml.FakeProviders;

/// <summary>
/// Reads the fields the fake needs from an OpenAI chat-completions or Anthropic messages body
/// in one forward pass, counting words on the raw UTF-8 so the fast path allocates only the
/// last user message's text.
/// </summary>
internal static class ChatRequestReader
{
    // More text parts than this in one message still count as words but are left out of the echo.
    private const int MaxTextParts = 8;
    private const int MaxStackModelName = 256;

    /// <exception cref="JsonException">The body is not a JSON object.</exception>
    public static ChatRequest Read(ReadOnlySpan<byte> body, ModelCatalog models)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: true, state: default);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The request body must be a JSON object.");
        }

        var model = models.Resolve(string.Empty);
        var stream = false;
        var includeUsage = false;
        var words = 0;
        Span<TextPart> current = stackalloc TextPart[MaxTextParts];
        Span<TextPart> lastUser = stackalloc TextPart[MaxTextParts];
        var lastUserCount = 0;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                model = ReadModel(ref reader, models);
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                stream = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("stream_options"u8))
            {
                reader.Read();
                includeUsage = ReadIncludeUsage(ref reader);
            }
            else if (reader.ValueTextEquals("messages"u8))
            {
                reader.Read();
                words += ReadMessages(ref reader, current, lastUser, ref lastUserCount);
            }
            else if (reader.ValueTextEquals("system"u8))
            {
                reader.Read();
                var ignored = 0;
                words += ReadContent(ref reader, current, ref ignored);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new ChatRequest(model, stream, includeUsage, words, Decode(body, lastUser[..lastUserCount]));
    }

    private static ModelEntry ReadModel(ref Utf8JsonReader reader, ModelCatalog models)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return models.Resolve(string.Empty);
        }

        if (reader.ValueIsEscaped || reader.ValueSpan.Length > MaxStackModelName)
        {
            return models.Resolve(reader.GetString()!);
        }

        Span<char> name = stackalloc char[MaxStackModelName];
        var length = Encoding.UTF8.GetChars(reader.ValueSpan, name);
        return models.Resolve(name[..length]);
    }

    private static bool ReadIncludeUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var includeUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
                includeUsage = reader.TokenType == JsonTokenType.True;
            }

            reader.Skip();
        }

        return includeUsage;
    }

    private static int ReadMessages(ref Utf8JsonReader reader, scoped Span<TextPart> current, scoped Span<TextPart> lastUser, ref int lastUserCount)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }

        var words = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var isUser = false;
            var parts = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("role"u8))
                {
                    reader.Read();
                    isUser = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("user"u8);
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("content"u8))
                {
                    reader.Read();
                    words += ReadContent(ref reader, current, ref parts);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (isUser)
            {
                current[..parts].CopyTo(lastUser);
                lastUserCount = parts;
            }
        }

        return words;
    }

    /// <summary>A string, or an array of strings and <c>{"type":"text","text":...}</c> blocks.</summary>
    private static int ReadContent(ref Utf8JsonReader reader, scoped Span<TextPart> parts, ref int partCount)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return ReadText(ref reader, parts, ref partCount);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }

        var words = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                words += ReadText(ref reader, parts, ref partCount);
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isText && reader.TokenType == JsonTokenType.String)
                {
                    words += ReadText(ref reader, parts, ref partCount);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return words;
    }

    private static int ReadText(ref Utf8JsonReader reader, scoped Span<TextPart> parts, ref int partCount)
    {
        if (partCount < parts.Length)
        {
            // A string token starts at its opening quote; the raw token is the value plus both quotes.
            parts[partCount++] = new TextPart((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2, reader.ValueIsEscaped);
        }

        if (!reader.ValueIsEscaped)
        {
            return Words.Count(reader.ValueSpan);
        }

        var buffer = ArrayPool<char>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var length = reader.CopyString(buffer);
            return Words.Count(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static string Decode(ReadOnlySpan<byte> body, ReadOnlySpan<TextPart> parts)
    {
        if (parts.IsEmpty)
        {
            return string.Empty;
        }

        if (parts.Length == 1)
        {
            return Decode(body, parts[0]);
        }

        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(Decode(body, part));
        }

        return text.ToString();
    }

    private static string Decode(ReadOnlySpan<byte> body, TextPart part)
    {
        var token = body.Slice(part.Start, part.Length);
        if (!part.Escaped)
        {
            return Encoding.UTF8.GetString(token[1..^1]);
        }

        var reader = new Utf8JsonReader(token, isFinalBlock: true, state: default);
        reader.Read();
        return reader.GetString()!;
    }

    private readonly record struct TextPart(int Start, int Length, bool Escaped);
}

using System.Text.Json;
using SiteCraft.Ml.Training.Corpus.Writing;

namespace SiteCraft.Ml.Training.Corpus.Jsonl;

/// <summary>
/// Reads and writes the training snapshot format sitecraft-chat-jsonl/1, one example a line.
/// created_at is fixed so the same seed gives the same bytes; the brief id is the part of the
/// example id before the first '.'.
/// </summary>
internal static class ChatJsonl
{
    public const string CreatedAt = "2026-01-01T00:00:00.000000Z";
    public const string Source = "synthetic";

    public static void Write(IEnumerable<CorpusExample> examples, Stream output)
    {
        using var writer = new Utf8JsonWriter(output, CompactJson.WriterOptions);
        foreach (var example in examples)
        {
            writer.WriteStartObject();
            writer.WriteString("id", example.Id);
            writer.WriteString("use_case", example.UseCase);
            writer.WriteString("source", Source);
            writer.WriteStartArray("messages");
            foreach (var message in example.Messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role);
                writer.WriteString("content", message.Content);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("completion", example.Completion);
            writer.WriteString("created_at", CreatedAt);
            writer.WriteStartObject("quality_signals");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.Flush();
            output.WriteByte((byte)'\n');
            writer.Reset(output);
        }
    }

    public static IEnumerable<CorpusExample> Read(Stream input)
    {
        using var reader = new StreamReader(input, CompactJson.Utf8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return Parse(line, lineNumber);
        }
    }

    private static CorpusExample Parse(string line, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Line {lineNumber}: not a JSON object ({e.Message}).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"Line {lineNumber}: not a JSON object.");
            }

            var id = RequiredString(root, "id", lineNumber);
            var useCase = RequiredString(root, "use_case", lineNumber);
            var completion = RequiredString(root, "completion", lineNumber);
            if (!root.TryGetProperty("messages", out var messagesElement) || messagesElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"Line {lineNumber}: field 'messages' must be an array.");
            }

            var messages = new List<ChatMessage>();
            var index = 0;
            foreach (var message in messagesElement.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException($"Line {lineNumber}: field 'messages[{index}]' must be an object.");
                }

                messages.Add(new ChatMessage(
                    RequiredString(message, "role", lineNumber, $"messages[{index}]."),
                    RequiredString(message, "content", lineNumber, $"messages[{index}].")));
                index++;
            }

            var dot = id.IndexOf('.', StringComparison.Ordinal);
            return new CorpusExample(id, useCase, dot < 0 ? id : id[..dot], messages, completion);
        }
    }

    private static string RequiredString(JsonElement element, string field, int lineNumber, string prefix = "") =>
        element.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"Line {lineNumber}: field '{prefix}{field}' must be a string.");
}

using System.Globalization;
using Npgsql;

namespace SiteCraft.Ml.Contracts.Data.Snapshots;

/// <summary>
/// One row of ai_training_examples in the training program's input format (sitecraft-chat-jsonl/1):
/// the prompt as chat messages and the completion, with the fields a trainer may filter on.
/// tenant_id and site_id are not read at all, so they cannot leak into a file.
/// </summary>
internal sealed record ChatExample(
    string Id,
    string UseCase,
    string Source,
    string Messages,
    string Completion,
    DateTime CreatedAt,
    string QualitySignals)
{
    /// <summary>The fields each line holds, in order.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["id", "use_case", "source", "messages", "completion", "created_at", "quality_signals"];

    /// <summary>The select list <see cref="Read"/> expects, in <see cref="Fields"/> order.</summary>
    public const string Columns = "id::text, use_case, source, messages::text, completion, created_at, quality_signals::text";

    /// <summary>Reads the current row; the command must select <see cref="Columns"/> (sequential access is fine).</summary>
    public static ChatExample Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetFieldValue<DateTime>(5),
        reader.GetString(6));

    /// <summary>Writes the example as one JSON object (no newline).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("use_case", UseCase);
        writer.WriteString("source", Source);

        // The table's check constraint guarantees an array of {role, content} strings; only those two are exported.
        writer.WriteStartArray("messages");
        using (var messages = JsonDocument.Parse(Messages))
        {
            foreach (var message in messages.RootElement.EnumerateArray())
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.GetProperty("role").GetString());
                writer.WriteString("content", message.GetProperty("content").GetString());
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteString("completion", Completion);
        // Postgres keeps microseconds; always six digits and Z, so equal rows give equal bytes.
        writer.WriteString("created_at", CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        writer.WritePropertyName("quality_signals");
        using (var signals = JsonDocument.Parse(QualitySignals))
        {
            signals.RootElement.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}

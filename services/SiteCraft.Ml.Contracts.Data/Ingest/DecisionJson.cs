using System.Buffers;
using System.Text;
using SiteCraft.Ml.Contracts.Core.Curation;

namespace SiteCraft.Ml.Contracts.Data.Ingest;

/// <summary>
/// Curation decisions as the JSON stored in ai_training_quarantine.reasons and
/// ai_training_examples.curation. Text from hostile records reaches excerpts, so NUL and lone
/// surrogates (which jsonb refuses) are replaced with U+FFFD.
/// </summary>
public static class DecisionJson
{
    /// <summary>A JSON array of decisions: <c>[{rule, version, field, action, reason, excerpt?}]</c>.</summary>
    public static string Array(IEnumerable<CurationDecision> decisions)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteArray(writer, decisions);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The curation column of an accepted record: <c>{"decisions": [...]}</c>.</summary>
    public static string Curation(IEnumerable<CurationDecision> decisions)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("decisions"u8);
            WriteArray(writer, decisions);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads an array written by <see cref="Array"/>.</summary>
    public static IReadOnlyList<CurationDecision> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var decisions = new List<CurationDecision>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            decisions.Add(new CurationDecision(
                item.GetProperty("rule").GetString()!,
                item.GetProperty("version").GetString()!,
                item.GetProperty("field").GetString()!,
                Enum.Parse<CurationAction>(item.GetProperty("action").GetString()!, ignoreCase: true),
                item.GetProperty("reason").GetString()!,
                item.TryGetProperty("excerpt", out var excerpt) ? excerpt.GetString() : null));
        }

        return decisions;
    }

    /// <summary>The action's name as stored and sent: normalized, redacted, rejected or duplicate.</summary>
    public static string ActionName(CurationAction action) => action switch
    {
        CurationAction.Normalized => "normalized",
        CurationAction.Redacted => "redacted",
        CurationAction.Rejected => "rejected",
        _ => "duplicate",
    };

    /// <summary>Text that jsonb and Postgres text accept: NUL and lone surrogates become U+FFFD.</summary>
    public static string Storable(string text)
    {
        var index = text.AsSpan().IndexOfAnyInRange('\0', '\0');
        if (index < 0 && !HasLoneSurrogate(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static void WriteArray(Utf8JsonWriter writer, IEnumerable<CurationDecision> decisions)
    {
        writer.WriteStartArray();
        foreach (var decision in decisions)
        {
            writer.WriteStartObject();
            writer.WriteString("rule"u8, Storable(decision.Rule));
            writer.WriteString("version"u8, Storable(decision.Version));
            writer.WriteString("field"u8, Storable(decision.Field));
            writer.WriteString("action"u8, ActionName(decision.Action));
            writer.WriteString("reason"u8, Storable(decision.Reason));
            if (decision.Excerpt is { } excerpt)
            {
                writer.WriteString("excerpt"u8, Storable(excerpt));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}

using System.Runtime.InteropServices;
using System.Text;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>A training record that has passed validation, read into typed fields.</summary>
public sealed record TrainingRecord(
    string Id,
    string Source,
    string UseCase,
    IReadOnlyList<TrainingMessage> Messages,
    string Completion,
    string? TenantId,
    string? SiteId,
    bool Consent,
    string QualitySignalsJson,
    DateTimeOffset CreatedAt)
{
    /// <summary>Reads a record that the ai_training_examples contract has accepted; anything else is a programming error.</summary>
    public static TrainingRecord FromValidJson(JsonElement record)
    {
        var messages = new List<TrainingMessage>(record.GetProperty(CuratedFields.Messages).GetArrayLength());
        foreach (var message in record.GetProperty(CuratedFields.Messages).EnumerateArray())
        {
            messages.Add(new TrainingMessage(message.GetProperty("role").GetString()!, message.GetProperty("content").GetString()!));
        }

        return new TrainingRecord(
            record.GetProperty(CuratedFields.Id).GetString()!,
            record.GetProperty(CuratedFields.Source).GetString()!,
            record.GetProperty(CuratedFields.UseCase).GetString()!,
            messages,
            record.GetProperty(CuratedFields.Completion).GetString()!,
            OptionalString(record, CuratedFields.TenantId),
            OptionalString(record, CuratedFields.SiteId),
            record.GetProperty("consent").GetBoolean(),
            record.TryGetProperty("quality_signals", out var signals) && signals.ValueKind == JsonValueKind.Object
                ? Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(signals))
                : "{}",
            record.GetProperty("created_at").GetDateTimeOffset());
    }

    private static string? OptionalString(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

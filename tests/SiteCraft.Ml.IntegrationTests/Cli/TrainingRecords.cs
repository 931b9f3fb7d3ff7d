using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SiteCraft.Ml.IntegrationTests.Cli;

/// <summary>Training records as JSONL lines, valid against ai_training_examples unless a test breaks them.</summary>
internal static class TrainingRecords
{
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject Valid(string? completion = null) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["source"] = "generation",
        ["use_case"] = "site.section.copy",
        ["messages"] = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = "You write warm, concise website copy." },
            new JsonObject { ["role"] = "user", ["content"] = "Write the hero section for a small bakery in Lyon." }),
        ["completion"] = completion ?? "Bread worth waking up for: sourdough, croissants and seasonal tarts, baked by hand before sunrise.",
        ["tenant_id"] = "tenant-7",
        ["site_id"] = "site-42",
        ["consent"] = true,
        ["quality_signals"] = new JsonObject { ["online_score"] = 0.91, ["user_rating"] = 5 },
        ["created_at"] = "2025-05-01T12:00:00Z",
    };

    public static JsonObject Without(string field)
    {
        var record = Valid();
        record.Remove(field);
        return record;
    }

    public static JsonObject With(string field, JsonNode? value)
    {
        var record = Valid();
        record[field] = value;
        return record;
    }

    public static string Line(JsonNode record) => record.ToJsonString(s_json);
}

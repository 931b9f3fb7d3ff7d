using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SiteCraft.Ml.Contracts.Tests;

/// <summary>Builds training records as JSON, valid unless a test breaks them on purpose.</summary>
internal static class TrainingRecords
{
    private static readonly string[] s_vocabulary =
    [
        "bakery", "fresh", "bread", "morning", "croissant", "neighbourhood", "oven", "flour", "organic", "family",
        "since", "recipe", "crust", "butter", "coffee", "welcome", "visit", "daily", "seasonal", "pastry",
        "studio", "design", "garden", "craft", "local", "team", "service", "quality", "friendly", "booking",
        "yoga", "class", "calm", "practice", "teacher", "beginner", "retreat", "weekend", "session", "breath",
        "repair", "bicycle", "wheel", "tune", "ride", "city", "route", "helmet", "shop", "workshop",
    ];

    public static JsonObject Valid(string? id = null, string? completion = null, string useCase = "site.section.copy") => new()
    {
        ["id"] = id ?? Guid.NewGuid().ToString(),
        ["source"] = "generation",
        ["use_case"] = useCase,
        ["messages"] = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = "You write warm, concise website copy." },
            new JsonObject { ["role"] = "user", ["content"] = "Write the hero section for a small bakery in Lyon." }),
        ["completion"] = completion ?? Prose(Random.Shared.Next(), 60),
        ["tenant_id"] = "tenant-7",
        ["site_id"] = "site-42",
        ["consent"] = true,
        ["quality_signals"] = new JsonObject { ["online_score"] = 0.91, ["user_rating"] = 5 },
        ["created_at"] = "2025-05-01T12:00:00Z",
    };

    public static byte[] Bytes(JsonNode record) => Encoding.UTF8.GetBytes(record.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    /// <summary>Distinct, sentence-shaped prose: the same seed gives the same text.</summary>
    public static string Prose(int seed, int words)
    {
        var random = new Random(seed);
        var builder = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            var word = s_vocabulary[random.Next(s_vocabulary.Length)];
            builder.Append(i % 12 == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
            builder.Append(i % 12 == 11 ? ". " : " ");
        }

        return builder.ToString().TrimEnd() + ".";
    }
}

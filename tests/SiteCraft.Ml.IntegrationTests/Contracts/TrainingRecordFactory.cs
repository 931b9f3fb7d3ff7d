using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SiteCraft.Ml.IntegrationTests.Contracts;

/// <summary>Training records as the ai_training_examples contract wants them, valid unless a test breaks them.</summary>
internal static class TrainingRecordFactory
{
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] s_vocabulary =
    [
        "bakery", "fresh", "bread", "morning", "croissant", "neighbourhood", "oven", "flour", "organic", "family",
        "since", "recipe", "crust", "butter", "coffee", "welcome", "visit", "daily", "seasonal", "pastry",
        "studio", "design", "garden", "craft", "local", "team", "service", "quality", "friendly", "booking",
        "yoga", "class", "calm", "practice", "teacher", "beginner", "retreat", "weekend", "session", "breath",
        "repair", "bicycle", "wheel", "tune", "ride", "city", "route", "helmet", "shop", "workshop",
    ];

    public static JsonObject Valid(string? completion = null, string useCase = "site.section.copy") => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
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
        ["created_at"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
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

    public static byte[] Bytes(JsonNode record) => Encoding.UTF8.GetBytes(Line(record));

    /// <summary>Sentence-shaped prose that no other call repeats, unless given the same seed.</summary>
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

    /// <summary>The same prose with its eleventh word changed: for 120 words, a Jaccard of word 5-grams near 0.92.</summary>
    public static string NearCopy(string prose)
    {
        var words = prose.Split(' ');
        words[10] = "lovingly";
        return string.Join(' ', words);
    }
}

using System.Text;
using System.Text.Json.Nodes;
using SiteCraft.Ml.Contracts.V1;

namespace SiteCraft.Ml.IntegrationTests.Contracts;

/// <summary>Records built to break an ingest path, each with the fate it must meet.</summary>
internal static class HostileCorpus
{
    public sealed record Item(string Name, byte[] Bytes, RecordFate Expected, string? Id = null);

    public static List<Item> Build()
    {
        var items = new List<Item>();

        void Add(string name, JsonObject record, RecordFate expected) =>
            items.Add(new Item(name, TrainingRecordFactory.Bytes(record), expected, record["id"]?.GetValue<string>()));

        void AddBytes(string name, byte[] bytes) => items.Add(new Item(name, bytes, RecordFate.Quarantined));

        Add("10 MB completion", TrainingRecordFactory.Valid(new string('a', 10 * 1024 * 1024)), RecordFate.Quarantined);
        var bigField = TrainingRecordFactory.Valid();
        bigField["notes"] = new string('x', 10 * 1024 * 1024);
        Add("10 MB unknown field", bigField, RecordFate.Quarantined);

        var valid = Encoding.UTF8.GetString(TrainingRecordFactory.Bytes(TrainingRecordFactory.Valid()));
        var utf8 = Encoding.UTF8.GetBytes(valid.Replace("\"generation\"", "\"gen\u00e9ration\"", StringComparison.Ordinal)).ToList();
        var at = utf8.IndexOf(0xC3);
        utf8[at] = 0xFF;
        AddBytes("invalid utf-8", [.. utf8]);
        AddBytes("lone surrogate", Encoding.UTF8.GetBytes(valid.Replace("\"completion\":\"", "\"completion\":\"\\ud800 ", StringComparison.Ordinal)));

        var nested = TrainingRecordFactory.Valid();
        JsonNode deep = new JsonObject();
        for (var i = 0; i < 200; i++)
        {
            deep = new JsonObject { ["n"] = deep };
        }

        nested["quality_signals"] = deep;
        AddBytes("deeply nested JSON", Encoding.UTF8.GetBytes(nested.ToJsonString(new System.Text.Json.JsonSerializerOptions { MaxDepth = 1000 })));

        var wrongTypes = TrainingRecordFactory.Valid();
        wrongTypes["messages"] = "hello";
        wrongTypes["consent"] = "true";
        wrongTypes["created_at"] = 12;
        Add("wrong types", wrongTypes, RecordFate.Quarantined);

        var injection = TrainingRecordFactory.Valid($"Robert'); drop table ai_training_examples; -- {TrainingRecordFactory.Prose(Random.Shared.Next(), 60)}");
        Add("sql injection in prose", injection, RecordFate.Accepted);
        var injectionCopy = injection.DeepClone().AsObject();
        injectionCopy["id"] = Guid.NewGuid().ToString();
        Add("exact duplicate", injectionCopy, RecordFate.Duplicate);
        Add("html injection", TrainingRecordFactory.Valid($"<p onclick=\"alert(1)\">{TrainingRecordFactory.Prose(Random.Shared.Next(), 60)}</p><script>alert('x')</script>"), RecordFate.Accepted);

        var prose = TrainingRecordFactory.Prose(Random.Shared.Next(), 120);
        Add("long prose", TrainingRecordFactory.Valid(prose), RecordFate.Accepted);
        Add("near duplicate", TrainingRecordFactory.Valid(TrainingRecordFactory.NearCopy(prose)), RecordFate.Duplicate);

        Add("pii in many spellings", TrainingRecordFactory.Valid(
            $"{TrainingRecordFactory.Prose(Random.Shared.Next(), 40)} Mail jane [at] example [dot] com, JANE.DOE@EXAMPLE.ORG, ring +44 20 7946 0958 or 415.555.0132, "
            + "card 4111 1111 1111 1111, host 192.168.1.20 or 2001:db8::8a2e:370:7334, key sk-live-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c."), RecordFate.Accepted);
        var piiSource = TrainingRecordFactory.Valid();
        piiSource["source"] = "import:192.168.0.1";
        Add("pii in a reject field", piiSource, RecordFate.Quarantined);
        Add("empty completion", TrainingRecordFactory.Valid(""), RecordFate.Quarantined);
        Add("whitespace-only completion", TrainingRecordFactory.Valid(" \n\t\u00a0\u200b "), RecordFate.Quarantined);
        Add("lorem ipsum", TrainingRecordFactory.Valid($"Lorem ipsum dolor sit amet. {TrainingRecordFactory.Prose(Random.Shared.Next(), 40)}"), RecordFate.Quarantined);
        var nul = TrainingRecordFactory.Valid();
        nul["quality_signals"] = new JsonObject { ["note"] = "a\u0000b" };
        Add("nul in an open object", nul, RecordFate.Quarantined);
        AddBytes("not json", "this is not json"u8.ToArray());
        AddBytes("an array, not an object", "[1, 2, 3]"u8.ToArray());
        AddBytes("empty bytes", []);
        return items;
    }
}

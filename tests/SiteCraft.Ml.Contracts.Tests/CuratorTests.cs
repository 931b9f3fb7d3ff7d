using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using SiteCraft.Ml.Contracts.Core.Curation;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Tests;

public sealed class CuratorTests
{
    private readonly Curator _curator = new(TrainingContract.Contract);

    [Fact]
    public void A_clean_record_is_accepted_shaped_like_a_table_row()
    {
        var record = TrainingRecords.Valid(id: "0b7f7c1e-6a4e-4d5c-9a57-1f2e3d4c5b6a");

        var accepted = Assert.IsType<CurationOutcome.Accepted>(Process(record));

        Assert.Equal("0b7f7c1e-6a4e-4d5c-9a57-1f2e3d4c5b6a", accepted.RecordId);
        Assert.Equal(("ai_training_examples", "1.0.0"), (accepted.Record.ContractId, accepted.Record.ContractVersion));
        Assert.Matches("^[0-9a-f]{64}$", accepted.Record.ContentSha256);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 12, 0, 0, TimeSpan.Zero), accepted.Record.CreatedAt);
        Assert.Equal("""{"online_score":0.91,"user_rating":5}""", accepted.Record.QualitySignalsJson);
        Assert.Empty(accepted.Decisions);
    }

    [Fact]
    public void A_real_html_and_css_page_is_accepted_unchanged()
    {
        var outcome = Process(TrainingRecords.Valid(completion: SiteContent.LandingPageHtml));

        var accepted = Assert.IsType<CurationOutcome.Accepted>(outcome);
        Assert.Equal(SiteContent.LandingPageHtml, accepted.Record.Completion);
    }

    [Fact]
    public void A_page_json_completion_is_accepted()
    {
        Assert.IsType<CurationOutcome.Accepted>(Process(TrainingRecords.Valid(completion: SiteContent.PageJson, useCase: "site.page.json")));
    }

    [Fact]
    public void Pii_in_prose_is_redacted_and_each_redaction_is_recorded_with_its_rule_version()
    {
        var record = TrainingRecords.Valid(completion: "Questions? Write to jane.doe@example.com or call (415) 555-2671, we answer within a day.");
        ((JsonObject)record["messages"]![1]!)["content"] = "My card is 4111 1111 1111 1111, make a page for my bakery.";

        var accepted = Assert.IsType<CurationOutcome.Accepted>(Process(record));

        Assert.Equal("Questions? Write to [EMAIL] or call [PHONE], we answer within a day.", accepted.Record.Completion);
        Assert.Equal("My card is [CREDIT_CARD], make a page for my bakery.", accepted.Record.Messages[1].Content);
        Assert.Equal(
            [
                ("pii.credit_card@1", "messages[1].content", CurationAction.Redacted),
                ("pii.email@1", "completion", CurationAction.Redacted),
                ("pii.phone@1", "completion", CurationAction.Redacted),
            ],
            accepted.Decisions.Select(d => (d.RuleVersion, d.Field, d.Action)).OrderBy(d => d.RuleVersion));
    }

    [Fact]
    public void Pii_in_a_field_whose_policy_is_reject_quarantines_the_record()
    {
        var record = TrainingRecords.Valid();
        record["source"] = "import:10.0.0.12";

        var quarantined = Assert.IsType<CurationOutcome.Quarantined>(Process(record));

        var reason = Assert.Single(quarantined.Reasons);
        Assert.Equal(("pii.ipv4@1", "source", "source contains an IP address, and its policy is reject"), (reason.RuleVersion, reason.Field, reason.Reason));
    }

    [Fact]
    public void Normalisation_is_recorded_and_applied_before_anything_else()
    {
        var outcome = Process(TrainingRecords.Valid(completion: "  Cafe\u0301 au lait and fresh croissants,\r\n\r\n\r\nevery morning from seven.  "));

        var accepted = Assert.IsType<CurationOutcome.Accepted>(outcome);
        Assert.Equal("Café au lait and fresh croissants,\n\nevery morning from seven.", accepted.Record.Completion);
        Assert.Equal(["normalize.unicode_nfc@1", "normalize.whitespace@1"], accepted.Decisions.Select(d => d.RuleVersion));
    }

    [Fact]
    public void An_invalid_record_is_quarantined_with_every_violation_as_a_reason()
    {
        var record = TrainingRecords.Valid(id: "nope");
        record["consent"] = false;

        var quarantined = Assert.IsType<CurationOutcome.Quarantined>(Process(record));

        Assert.Equal("nope", quarantined.RecordId);
        Assert.Equal(
            [("contract.format@1.0.0", "id"), ("contract.validValues@1.0.0", "consent")],
            quarantined.Reasons.Select(r => (r.RuleVersion, r.Field)));
    }

    [Fact]
    public void A_record_failing_several_curation_rules_lists_them_all()
    {
        var record = TrainingRecords.Valid(completion: "Lorem ipsum at {{company}}.");
        record["source"] = "crm:8.8.8.8";

        var quarantined = Assert.IsType<CurationOutcome.Quarantined>(Process(record));

        Assert.Equal(
            ["pii.ipv4@1", "quality.placeholder@1", "quality.placeholder@1"],
            quarantined.Reasons.Select(r => r.RuleVersion));
    }

    [Fact]
    public void An_exact_duplicate_names_the_record_it_repeats_even_when_spelt_differently()
    {
        var text = TrainingRecords.Prose(11, 80);
        var first = Process(TrainingRecords.Valid(id: "00000000-0000-4000-8000-000000000001", completion: text));
        var again = Process(TrainingRecords.Valid(id: "00000000-0000-4000-8000-000000000002", completion: "  " + text.Replace(" ", "\u00A0", StringComparison.Ordinal) + "\r\n"));

        Assert.IsType<CurationOutcome.Accepted>(first);
        var duplicate = Assert.IsType<CurationOutcome.Duplicate>(again);
        Assert.Equal(("00000000-0000-4000-8000-000000000001", DuplicateKind.Exact), (duplicate.OfRecordId, duplicate.Kind));
        Assert.Equal(((CurationOutcome.Accepted)first).Record.ContentSha256, duplicate.Record.ContentSha256);
        Assert.Equal("dedup.exact@1", duplicate.Decisions[^1].RuleVersion);
    }

    [Fact]
    public void A_near_duplicate_names_the_record_it_resembles()
    {
        var text = TrainingRecords.Prose(12, 150);
        Process(TrainingRecords.Valid(id: "00000000-0000-4000-8000-000000000001", completion: text));

        var outcome = Process(TrainingRecords.Valid(id: "00000000-0000-4000-8000-000000000002", completion: text + " Visit us soon."));

        var duplicate = Assert.IsType<CurationOutcome.Duplicate>(outcome);
        Assert.Equal(("00000000-0000-4000-8000-000000000001", DuplicateKind.Near), (duplicate.OfRecordId, duplicate.Kind));
        Assert.InRange(duplicate.Similarity, 0.8, 1.0);
        Assert.Equal("dedup.near@1", duplicate.Decisions[^1].RuleVersion);
    }

    [Fact]
    public void Different_prompts_with_different_completions_are_both_accepted()
    {
        Assert.IsType<CurationOutcome.Accepted>(Process(TrainingRecords.Valid(completion: TrainingRecords.Prose(21, 80))));
        Assert.IsType<CurationOutcome.Accepted>(Process(TrainingRecords.Valid(completion: TrainingRecords.Prose(22, 80))));
        Assert.Equal((2, 0, 0), (_curator.Accepted, _curator.Quarantined, _curator.Duplicates));
    }

    [Fact]
    public void An_id_reused_for_different_content_is_quarantined()
    {
        const string Id = "00000000-0000-4000-8000-000000000009";
        Process(TrainingRecords.Valid(id: Id, completion: TrainingRecords.Prose(31, 80)));

        var quarantined = Assert.IsType<CurationOutcome.Quarantined>(Process(TrainingRecords.Valid(id: Id, completion: TrainingRecords.Prose(32, 80))));

        Assert.Equal("dedup.id@1", Assert.Single(quarantined.Reasons).RuleVersion);
    }

    [Fact]
    public void A_contract_without_the_training_fields_cannot_drive_the_curator()
    {
        var yaml = TrainingContract.Yaml.Replace("- name: completion", "- name: answer", StringComparison.Ordinal);
        var contract = DataContractLoader.Load(yaml, "renamed.yaml");

        var error = Assert.Throws<ArgumentException>(() => new Curator(contract));

        Assert.StartsWith("Contract ai_training_examples@1.0.0 cannot drive curation: it needs a required string property 'completion'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_input_ends_in_exactly_one_outcome_and_the_counts_add_up()
    {
        var candidate = Gen.OneOf(
            Gen.Int.Select(seed => TrainingRecords.Bytes(TrainingRecords.Valid(completion: TrainingRecords.Prose(seed, 50)))),
            Gen.Int[0, 3].Select(seed => TrainingRecords.Bytes(TrainingRecords.Valid(completion: TrainingRecords.Prose(seed, 50)))),
            Gen.String.Select(text => TrainingRecords.Bytes(TrainingRecords.Valid(completion: text))),
            Gen.Byte.Array[0, 200],
            Gen.String.Select(text => Encoding.UTF8.GetBytes(text)),
            Gen.Int[0, 1_000].Select(seed => Mutate(seed)));

        candidate.Array[1, 40].Sample(inputs =>
        {
            var curator = new Curator(TrainingContract.Contract);
            var acceptedIds = new HashSet<string>();
            int accepted = 0, quarantined = 0, duplicates = 0;

            foreach (var input in inputs)
            {
                switch (curator.Process(input))
                {
                    case CurationOutcome.Accepted a:
                        accepted++;
                        Assert.True(acceptedIds.Add(a.Record.Id));
                        break;
                    case CurationOutcome.Quarantined q:
                        quarantined++;
                        Assert.NotEmpty(q.Reasons);
                        break;
                    case CurationOutcome.Duplicate d:
                        duplicates++;
                        Assert.Contains(d.OfRecordId, acceptedIds);
                        break;
                    default:
                        Assert.Fail("an outcome outside accepted, quarantined and duplicate");
                        break;
                }
            }

            Assert.Equal(inputs.Length, accepted + quarantined + duplicates);
            Assert.Equal((accepted, quarantined, duplicates), (curator.Accepted, curator.Quarantined, curator.Duplicates));
        }, iter: 60);
    }

    /// <summary>A valid record with one field broken in one of a few ways.</summary>
    private static byte[] Mutate(int seed)
    {
        var random = new Random(seed);
        var record = TrainingRecords.Valid(completion: TrainingRecords.Prose(seed, 40));
        string[] fields = ["id", "source", "use_case", "messages", "completion", "tenant_id", "site_id", "consent", "quality_signals", "created_at"];
        var field = fields[random.Next(fields.Length)];
        JsonNode?[] values = [null, 0, -1.5, true, "", "   ", "x", new JsonArray(), new JsonObject(), "jane@example.com", "<script>alert(1)</script>", "'; DROP TABLE ai_training_examples; --"];
        var value = values[random.Next(values.Length)];
        if (random.Next(4) == 0)
        {
            record.Remove(field);
        }
        else
        {
            record[field] = value?.DeepClone();
        }

        return TrainingRecords.Bytes(record);
    }

    private CurationOutcome Process(JsonObject record) => _curator.Process(TrainingRecords.Bytes(record));
}

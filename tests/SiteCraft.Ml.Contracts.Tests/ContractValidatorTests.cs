using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SiteCraft.Ml.Contracts.Core.Validation;

namespace SiteCraft.Ml.Contracts.Tests;

public sealed class ContractValidatorTests
{
    private static readonly ContractValidator s_validator = new(TrainingContract.Contract);

    [Fact]
    public void A_complete_record_keeps_the_contract()
    {
        var result = s_validator.Validate(TrainingRecords.Bytes(TrainingRecords.Valid()));

        Assert.True(result.IsValid, string.Join("; ", result.Violations));
    }

    [Fact]
    public void A_parsed_record_is_validated_the_same_way_as_its_bytes()
    {
        var record = TrainingRecords.Valid();
        record["consent"] = false;
        using var document = JsonDocument.Parse(TrainingRecords.Bytes(record));

        var fromElement = s_validator.Validate(document.RootElement);
        var fromBytes = s_validator.Validate(TrainingRecords.Bytes(record));

        Assert.Equal(fromBytes.Violations, fromElement.Violations);
        Assert.Single(fromElement.Violations);
    }

    [Fact]
    public void Every_violation_is_reported_not_only_the_first()
    {
        var record = TrainingRecords.Valid(id: "not-a-uuid");
        record["use_case"] = "site.blog.post";
        record["consent"] = false;
        record["created_at"] = "2025-05-01T12:00:00";
        record.Remove("completion");
        ((JsonObject)record["messages"]![1]!)["role"] = "bot";

        var violations = Validate(record);

        Assert.Equal(
            [
                ("id", "format"),
                ("use_case", "validValues"),
                ("messages[1].role", "validValues"),
                ("consent", "validValues"),
                ("created_at", "format"),
                ("completion", "required"),
            ],
            violations.Select(v => (v.Path, v.Rule)));
    }

    [Fact]
    public void Wrong_types_are_named_with_what_was_expected_and_what_came()
    {
        var record = TrainingRecords.Valid();
        record["completion"] = 42;
        record["consent"] = "yes";
        record["messages"] = "hello";
        record["quality_signals"] = new JsonArray();

        var violations = Validate(record);

        Assert.Equal(
            [
                ("messages", "expected an array, got a string", "hello"),
                ("completion", "expected a string, got a number", "42"),
                ("consent", "expected a boolean, got a string", "yes"),
                ("quality_signals", "expected an object, got an array", "[]"),
            ],
            violations.Select(v => (v.Path, v.Message, v.Excerpt)));
        Assert.All(violations, v => Assert.Equal(ViolationRules.Type, v.Rule));
    }

    [Fact]
    public void Nested_fields_are_named_by_their_path()
    {
        var record = TrainingRecords.Valid();
        var messages = (JsonArray)record["messages"]!;
        messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = "" });
        messages.Add(new JsonObject { ["role"] = "user" });

        var violations = Validate(record);

        Assert.Equal(
            [("messages[2].content", "minLength"), ("messages[3].content", "required")],
            violations.Select(v => (v.Path, v.Rule)));
    }

    [Fact]
    public void Unknown_fields_follow_the_policy_of_the_object_they_are_in()
    {
        var record = TrainingRecords.Valid();
        record["extra"] = "surprise";
        ((JsonObject)record["messages"]![0]!)["name"] = "narrator";
        ((JsonObject)record["quality_signals"]!)["click_through"] = 0.12;

        var violations = Validate(record);

        Assert.Equal(
            [("messages[0].name", "unknownField"), ("extra", "unknownField")],
            violations.Select(v => (v.Path, v.Rule)));
    }

    [Fact]
    public void Optional_fields_may_be_absent_or_null()
    {
        var record = TrainingRecords.Valid();
        record.Remove("tenant_id");
        record["site_id"] = null;
        record.Remove("quality_signals");

        Assert.Empty(Validate(record));
    }

    [Fact]
    public void Required_fields_may_not_be_null()
    {
        var record = TrainingRecords.Valid();
        record["source"] = null;

        var violation = Assert.Single(Validate(record));

        Assert.Equal(("source", "required", "source is required and is null"), (violation.Path, violation.Rule, violation.Message));
    }

    [Fact]
    public void Numbers_are_checked_against_their_range_and_integer_type()
    {
        var record = TrainingRecords.Valid();
        record["quality_signals"] = new JsonObject { ["online_score"] = 1.5, ["user_rating"] = 2.5, ["edited_by_user"] = "no" };

        var violations = Validate(record);

        Assert.Equal(
            [("quality_signals.online_score", "maximum"), ("quality_signals.user_rating", "type"), ("quality_signals.edited_by_user", "type")],
            violations.Select(v => (v.Path, v.Rule)));
    }

    [Fact]
    public void Array_sizes_are_checked()
    {
        var empty = TrainingRecords.Valid();
        empty["messages"] = new JsonArray();
        var many = TrainingRecords.Valid();
        many["messages"] = new JsonArray(Enumerable.Range(0, 65).Select(_ => (JsonNode)new JsonObject { ["role"] = "user", ["content"] = "hi" }).ToArray());

        Assert.Equal(("messages", "minItems"), Validate(empty).Select(v => (v.Path, v.Rule)).Single());
        Assert.Equal(("messages", "maxItems"), Validate(many).Select(v => (v.Path, v.Rule)).Single());
    }

    [Theory]
    [InlineData("2025-05-01T12:00:00Z", true)]
    [InlineData("2025-05-01T12:00:00.123+02:00", true)]
    [InlineData("2025-05-01T12:00:00", false)]
    [InlineData("2025-05-01", false)]
    [InlineData("yesterday", false)]
    [InlineData("2025-13-01T12:00:00Z", false)]
    public void Timestamps_need_a_date_a_time_and_an_offset(string value, bool valid)
    {
        var record = TrainingRecords.Valid();
        record["created_at"] = value;

        Assert.Equal(valid, Validate(record).Count == 0);
    }

    [Fact]
    public void A_field_given_twice_is_a_violation_not_a_silent_overwrite()
    {
        var json = Encoding.UTF8.GetString(TrainingRecords.Bytes(TrainingRecords.Valid()));
        var bytes = Encoding.UTF8.GetBytes(json[..^1] + ",\"consent\":false}");

        var violation = Assert.Single(s_validator.Validate(bytes).Violations);

        Assert.Equal(("consent", ViolationRules.DuplicateKey, "false"), (violation.Path, violation.Rule, violation.Excerpt));
    }

    [Fact]
    public void An_escaped_field_name_is_read_as_the_name_it_spells()
    {
        var json = Encoding.UTF8.GetString(TrainingRecords.Bytes(TrainingRecords.Valid()));
        var bytes = Encoding.UTF8.GetBytes(json.Replace("\"source\"", "\"\\u0073ource\"", StringComparison.Ordinal));

        Assert.True(s_validator.Validate(bytes).IsValid);
    }

    [Fact]
    public void Invalid_utf8_is_reported_with_its_offset_and_the_rest_is_still_checked()
    {
        var record = TrainingRecords.Valid(completion: "Fresh bread every morning, baked by hand in our oven since 1982.");
        record.Remove("consent");
        var bytes = TrainingRecords.Bytes(record);
        var at = Encoding.UTF8.GetString(bytes).IndexOf("Fresh", StringComparison.Ordinal);
        bytes[at] = 0xFF;

        var violations = s_validator.Validate(bytes).Violations;

        Assert.Equal(
            [("$", ViolationRules.Utf8), ("consent", ViolationRules.Required)],
            violations.Select(v => (v.Path, v.Rule)));
        Assert.Contains($"byte 0xff at offset {at}", violations[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\\ud800", "completion")]
    [InlineData("before \\udc00 after", "completion")]
    [InlineData("\\ud83d\\ud83d", "completion")]
    public void A_lone_surrogate_is_reported_not_thrown(string escaped, string path)
    {
        var json = Encoding.UTF8.GetString(TrainingRecords.Bytes(TrainingRecords.Valid(completion: "PLACEHOLDER")));
        var bytes = Encoding.UTF8.GetBytes(json.Replace("PLACEHOLDER", escaped, StringComparison.Ordinal));

        var violation = Assert.Single(s_validator.Validate(bytes).Violations);

        Assert.Equal((path, ViolationRules.Surrogate), (violation.Path, violation.Rule));
    }

    [Fact]
    public void A_properly_paired_surrogate_escape_is_text()
    {
        var json = Encoding.UTF8.GetString(TrainingRecords.Bytes(TrainingRecords.Valid(completion: "PLACEHOLDER")));
        var bytes = Encoding.UTF8.GetBytes(json.Replace("PLACEHOLDER", "Fresh bread \\ud83e\\udd50 every morning in Lyon", StringComparison.Ordinal));

        Assert.True(s_validator.Validate(bytes).IsValid);
    }

    [Fact]
    public void A_lone_surrogate_in_a_field_name_is_an_unknown_field_not_a_crash()
    {
        var json = Encoding.UTF8.GetString(TrainingRecords.Bytes(TrainingRecords.Valid()));
        var bytes = Encoding.UTF8.GetBytes(json[..^1] + ",\"\\ud800\":1}");

        var violation = Assert.Single(s_validator.Validate(bytes).Violations);

        Assert.Equal(ViolationRules.UnknownField, violation.Rule);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(100_000)]
    public void Json_nested_past_the_contract_depth_is_refused_unread(int depth)
    {
        var json = Encoding.UTF8.GetString(TrainingRecords.Bytes(TrainingRecords.Valid()));
        var nested = new string('[', depth) + new string(']', depth);
        var bytes = Encoding.UTF8.GetBytes(json[..^1] + ",\"quality_signals\":{\"deep\":" + nested + "}}");

        var violation = Assert.Single(s_validator.Validate(bytes).Violations);

        Assert.Equal(("$", ViolationRules.Depth), (violation.Path, violation.Rule));
        Assert.StartsWith("the record nests deeper than the 16 levels the contract allows", violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\": ")]
    [InlineData("")]
    [InlineData("{} trailing")]
    [InlineData("not json at all")]
    public void Text_that_is_not_json_is_a_syntax_violation(string text)
    {
        var violation = Assert.Single(s_validator.Validate(Encoding.UTF8.GetBytes(text)).Violations);

        Assert.Equal(("$", ViolationRules.Syntax), (violation.Path, violation.Rule));
    }

    [Theory]
    [InlineData("[1, 2]", ViolationRules.Type)]
    [InlineData("\"a string\"", ViolationRules.Type)]
    [InlineData("null", ViolationRules.Required)]
    public void A_record_must_be_an_object(string json, string rule)
    {
        var violation = Assert.Single(s_validator.Validate(Encoding.UTF8.GetBytes(json)).Violations);

        Assert.Equal(("$", rule), (violation.Path, violation.Rule));
    }

    [Fact]
    public void A_ten_megabyte_field_is_too_long_and_its_excerpt_stays_short()
    {
        var huge = new string('a', 10 * 1024 * 1024);

        var violation = Assert.Single(Validate(TrainingRecords.Valid(completion: huge)));

        Assert.Equal(("completion", ViolationRules.MaxLength), (violation.Path, violation.Rule));
        Assert.Equal(80, violation.Excerpt!.Length);
        Assert.EndsWith("a…", violation.Excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void Lengths_count_characters_not_utf16_units()
    {
        // 100,000 emoji are 200,000 UTF-16 units but 100,000 characters: exactly at the limit.
        var emoji = string.Concat(Enumerable.Repeat("🥐", 100_000));

        Assert.Empty(Validate(TrainingRecords.Valid(completion: emoji)));
        Assert.Equal(ViolationRules.MaxLength, Assert.Single(Validate(TrainingRecords.Valid(completion: emoji + "🥐"))).Rule);
    }

    [Fact]
    public void A_record_that_breaks_everything_lists_a_bounded_number_of_violations()
    {
        var record = TrainingRecords.Valid();
        for (var i = 0; i < 1_000; i++)
        {
            record[$"field{i}"] = i;
        }

        var violations = Validate(record);

        Assert.Equal(ContractValidator.MaxViolationsPerRecord + 1, violations.Count);
        Assert.Equal((ViolationRules.Truncated, "800 more violations were found and not listed"), (violations[^1].Rule, violations[^1].Message));
    }

    [Fact]
    public void Validation_has_no_side_effects_on_the_input_or_between_records()
    {
        var bytes = TrainingRecords.Bytes(TrainingRecords.Valid(id: "bad"));
        var copy = bytes.ToArray();

        var first = s_validator.Validate(bytes);
        var second = s_validator.Validate(bytes);

        Assert.Equal(copy, bytes);
        Assert.Equal(first.Violations, second.Violations);
    }

    private static IReadOnlyList<Violation> Validate(JsonObject record) => s_validator.Validate(TrainingRecords.Bytes(record)).Violations;
}

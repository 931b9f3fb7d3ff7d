using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Tests;

public sealed class DataContractLoaderTests
{
    private const string File = "broken.yaml";

    [Fact]
    public async Task The_shipped_training_contract_loads_with_its_hash()
    {
        var contract = await DataContractLoader.LoadFileAsync(TrainingContract.FilePath, CancellationToken.None);

        Assert.Equal("ai_training_examples", contract.Id);
        Assert.Equal("1.0.0", contract.Version);
        Assert.Equal("active", contract.Status);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await System.IO.File.ReadAllBytesAsync(TrainingContract.FilePath, CancellationToken.None))), contract.Sha256);
        Assert.Equal(
            ["id", "source", "use_case", "messages", "completion", "tenant_id", "site_id", "consent", "quality_signals", "created_at"],
            contract.Schema.Properties.Select(p => p.Name));
        Assert.Equal(TimeSpan.FromDays(7), contract.Freshness.MaxAge);
        Assert.Equal(16, contract.MaxDepth);
    }

    [Fact]
    public void The_shipped_contract_compiles_its_rules_for_validation()
    {
        var contract = TrainingContract.Contract;

        var useCase = contract.Schema.Property("use_case")!;
        Assert.Equal("site.page.json, site.section.copy, site.seo.meta", useCase.ValidValues!.Display);
        Assert.True(contract.Schema.Property("consent")!.ValidValues!.Contains(JsonDocument.Parse("true").RootElement));
        Assert.False(contract.Schema.Property("consent")!.ValidValues!.Contains(JsonDocument.Parse("false").RootElement));
        Assert.Equal(["role", "content"], contract.Schema.Property("messages")!.Items!.Properties.Select(p => p.Name));
        Assert.Equal(UnknownFieldPolicy.Allow, contract.Schema.Property("quality_signals")!.UnknownFields);
        Assert.All(contract.Schema.Quality, rule => Assert.False(rule.PerRecord));
        Assert.True(useCase.Quality.Single().PerRecord);
    }

    [Fact]
    public void The_shipped_curation_policy_matches_the_issue()
    {
        var curation = TrainingContract.Contract.Curation;

        Assert.Equal(PiiAction.Redact, curation.Pii.Fields["completion"]);
        Assert.Equal(PiiAction.Reject, curation.Pii.Fields["source"]);
        Assert.Equal(PiiAction.Allow, curation.Pii.Fields["tenant_id"]);
        Assert.Equal((ShingleUnit.Word, 5, 128, 32, 4, 0.8), (curation.Dedup.Near.Unit, curation.Dedup.Near.ShingleSize, curation.Dedup.Near.Permutations, curation.Dedup.Near.Bands, curation.Dedup.Near.Rows, curation.Dedup.Near.JaccardThreshold));
        Assert.Equal(["lorem_ipsum", "template_hole", "bracketed_instruction", "insert_here"], curation.Quality.Placeholders.Select(p => p.Name));
    }

    [Fact]
    public void Invalid_yaml_is_reported_at_the_line_where_the_parser_stopped()
    {
        var yaml = TrainingContract.Yaml.Replace("kind: DataContract", "kind: [DataContract", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.StartsWith("not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(yaml, "kind: [DataContract").Line, error.Line);
    }

    [Fact]
    public void A_yaml_syntax_error_carries_the_parser_position()
    {
        var yaml = TrainingContract.Yaml.Replace("status: active", "status: active\n  stray: indented", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.StartsWith("not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(yaml, "stray").Line, error.Line);
    }

    [Fact]
    public void A_missing_required_key_names_the_key_at_the_mapping_that_lacks_it()
    {
        var yaml = TrainingContract.Yaml.Replace("version: 1.0.0\n", "", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.Equal("the contract is missing the required key 'version'", error.Message);
        Assert.Equal(LineOf(yaml, "apiVersion:"), (error.Line, error.Column));
    }

    [Fact]
    public void A_version_that_is_not_semantic_is_reported_at_the_value()
    {
        var yaml = TrainingContract.Yaml.Replace("version: 1.0.0", "version: 1.0", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.Equal("version '1.0' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.0.0)", error.Message);
        Assert.Equal(LineOf(yaml, "1.0\n"), (error.Line, error.Column));
    }

    [Fact]
    public void An_unknown_logical_type_lists_the_known_ones()
    {
        var yaml = ReplaceAfter(TrainingContract.Yaml, "- name: source", "logicalType: string", "logicalType: text");

        var error = SingleError(yaml);

        Assert.Equal("unknown logicalType 'text' for property 'source'; expected one of: array, boolean, date, integer, number, object, string, timestamp", error.Message);
        Assert.Equal(LineOf(yaml, "text\n"), (error.Line, error.Column));
    }

    [Fact]
    public void A_pattern_that_does_not_compile_is_reported_at_the_pattern()
    {
        var yaml = TrainingContract.Yaml.Replace("pattern: '^[a-z][a-z0-9_.:-]*$'", "pattern: '^[a-z'", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.StartsWith("the pattern of property 'source' is not a valid regular expression", error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(yaml, "'^[a-z'"), (error.Line, error.Column));
    }

    [Fact]
    public void A_pattern_that_needs_backtracking_is_refused_so_it_cannot_hang_a_batch()
    {
        var yaml = TrainingContract.Yaml.Replace("pattern: '^[a-z][a-z0-9_.:-]*$'", @"pattern: '^(a+)\1$'", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.StartsWith("the pattern of property 'source' uses a construct the linear-time regex engine cannot run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quality_rule_without_a_comparison_is_reported_at_the_rule()
    {
        var yaml = ReplaceAfter(TrainingContract.Yaml, "validValues: [site.page.json", "            mustBe: 0\n", "");

        var error = SingleError(yaml);

        Assert.Equal("a quality rule of property 'use_case' needs one comparison (mustBe, mustBeLessThan, mustBeGreaterThan, mustBeBetween, …)", error.Message);
        Assert.Equal(LineOf(yaml, "metric: invalidValues"), (error.Line, error.Column));
    }

    [Fact]
    public void A_quality_rule_with_two_comparisons_is_refused()
    {
        var yaml = ReplaceAfter(TrainingContract.Yaml, "validValues: [site.page.json", "            mustBe: 0\n", "            mustBe: 0\n            mustBeLessThan: 1\n");

        var error = SingleError(yaml);

        Assert.Equal("a quality rule of property 'use_case' has 2 comparisons (mustBe, mustBeLessThan); give exactly one", error.Message);
    }

    [Fact]
    public void An_unknown_metric_is_reported_at_the_metric()
    {
        var yaml = TrainingContract.Yaml.Replace("- metric: rowCount", "- metric: rowCounts", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.Equal("unknown metric 'rowCounts' for schema object 'ai_training_examples'; expected one of: rowCount, duplicateValues", error.Message);
        Assert.Equal(LineOf(yaml, "rowCounts"), (error.Line, error.Column));
    }

    [Fact]
    public void A_between_comparison_needs_two_numbers()
    {
        var yaml = TrainingContract.Yaml.Replace("mustBeGreaterThan: 0", "mustBeBetween: [5]", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.Equal("mustBeBetween takes a list of two numbers, [low, high]", error.Message);
        Assert.Equal(LineOf(yaml, "[5]"), (error.Line, error.Column));
    }

    [Fact]
    public void A_boolean_setting_given_as_a_word_is_refused()
    {
        var yaml = ReplaceAfter(TrainingContract.Yaml, "- name: completion", "required: true", "required: yes");

        var error = SingleError(yaml);

        Assert.Equal("'required' in property 'completion' must be true or false", error.Message);
        Assert.Equal(LineOf(yaml, "yes\n"), (error.Line, error.Column));
    }

    [Fact]
    public void A_misspelt_key_is_an_error_not_a_silently_ignored_rule()
    {
        var yaml = ReplaceAfter(TrainingContract.Yaml, "- name: completion", "required: true", "requried: true");

        var errors = AllErrors(yaml);

        var error = Assert.Single(errors, e => e.Message.StartsWith("unknown key 'requried'", StringComparison.Ordinal));
        Assert.Equal(LineOf(yaml, "requried"), (error.Line, error.Column));
    }

    [Fact]
    public void A_property_defined_twice_is_refused()
    {
        var yaml = TrainingContract.Yaml.Replace("      - name: site_id\n", "      - name: tenant_id\n", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.Equal("property 'tenant_id' is defined twice in schema object 'ai_training_examples'", error.Message);
    }

    [Fact]
    public void A_length_limit_on_a_boolean_is_refused()
    {
        var yaml = ReplaceAfter(TrainingContract.Yaml, "- name: consent", "physicalType: boolean\n", "physicalType: boolean\n        logicalTypeOptions:\n          maxLength: 4\n");

        var error = SingleError(yaml);

        Assert.Equal("'maxLength' does not apply to property 'consent'; a boolean takes no options", error.Message);
        Assert.Equal(LineOf(yaml, "maxLength: 4"), (error.Line, error.Column));
    }

    [Fact]
    public void A_format_that_validation_does_not_check_is_refused()
    {
        var yaml = TrainingContract.Yaml.Replace("format: uuid", "format: email", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.Equal("format 'email' of property 'id' is not one validation checks; use uuid, or a pattern", error.Message);
        Assert.Equal(LineOf(yaml, "email\n"), (error.Line, error.Column));
    }

    [Fact]
    public void Bands_and_rows_that_do_not_cover_the_permutations_are_refused()
    {
        var yaml = TrainingContract.Yaml.Replace("bands: 32", "bands: 16", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.Equal("bands × rows must equal permutations: 16 × 4 = 64, not 128", error.Message);
        Assert.Equal(LineOf(yaml, "16\n      rows"), (error.Line, error.Column));
    }

    [Fact]
    public void An_unknown_pii_policy_is_refused()
    {
        var yaml = ReplaceAfter(TrainingContract.Yaml, "- field: completion", "policy: redact", "policy: mask");

        var error = SingleError(yaml);

        Assert.Equal("PII policy 'mask' must be redact, reject or allow", error.Message);
        Assert.Equal(LineOf(yaml, "mask"), (error.Line, error.Column));
    }

    [Fact]
    public void A_phone_region_libphonenumber_does_not_know_is_refused()
    {
        var yaml = TrainingContract.Yaml.Replace("defaultRegion: US", "defaultRegion: XX", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.StartsWith("defaultRegion 'XX' is not a region libphonenumber knows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_contract_without_a_freshness_sla_is_refused()
    {
        var yaml = TrainingContract.Yaml.Replace("property: freshness", "property: latency", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.Equal("slaProperties needs a freshness entry (property: freshness, value, unit, element)", error.Message);
        Assert.Equal(LineOf(yaml, "- property: latency"), (error.Line, error.Column));
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var error = SingleError("# nothing here\n");

        Assert.Equal("the file is empty; expected a data contract", error.Message);
        Assert.Equal((1, 1), (error.Line, error.Column));
    }

    [Fact]
    public void A_file_that_is_not_a_mapping_is_refused()
    {
        var error = SingleError("- just\n- a list\n");

        Assert.Equal("the contract must be a mapping of keys to values", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_refused_at_the_bad_byte()
    {
        var bytes = Encoding.UTF8.GetBytes("apiVersion: v3.0.2\nkind: Data").Concat(new byte[] { 0xC3, 0x28 }).ToArray();

        var exception = Assert.Throws<ContractLoadException>(() => DataContractLoader.Load(bytes, File));

        var error = Assert.Single(exception.Errors);
        Assert.Equal((2, 11), (error.Line, error.Column));
        Assert.StartsWith("the file is not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_in_one_pass_and_the_message_names_file_line_and_column()
    {
        var yaml = TrainingContract.Yaml
            .Replace("version: 1.0.0", "version: one", StringComparison.Ordinal)
            .Replace("status: active", "status: live", StringComparison.Ordinal)
            .Replace("confirmThreshold: 0.7", "confirmThreshold: 0.9", StringComparison.Ordinal);

        var exception = Assert.Throws<ContractLoadException>(() => DataContractLoader.Load(yaml, File));

        Assert.Equal(3, exception.Errors.Count);
        var (line, column) = LineOf(yaml, "live");
        Assert.Contains($"{File}:{line}:{column}: status 'live' must be one of: draft, active, deprecated", exception.Message, StringComparison.Ordinal);
        Assert.Contains("confirmThreshold 0.9 must not be above jaccardThreshold 0.8", exception.Message, StringComparison.Ordinal);
    }

    private static ContractError SingleError(string yaml) => Assert.Single(AllErrors(yaml));

    private static IReadOnlyList<ContractError> AllErrors(string yaml)
    {
        var exception = Assert.Throws<ContractLoadException>(() => DataContractLoader.Load(yaml, File));
        Assert.All(exception.Errors, e => Assert.Equal(File, e.File));
        return exception.Errors;
    }

    /// <summary>1-based line and column of the first occurrence of <paramref name="snippet"/>.</summary>
    private static (int Line, int Column) LineOf(string text, string snippet)
    {
        var index = text.IndexOf(snippet, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{snippet}' is not in the text");
        var line = text[..index].Count(c => c == '\n') + 1;
        var lineStart = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        return (line, index - lineStart + 1);
    }

    /// <summary>Replaces the first <paramref name="from"/> that comes after <paramref name="anchor"/>.</summary>
    private static string ReplaceAfter(string text, string anchor, string from, string to)
    {
        var start = text.IndexOf(anchor, StringComparison.Ordinal);
        var at = text.IndexOf(from, start, StringComparison.Ordinal);
        Assert.True(start >= 0 && at >= 0, $"'{from}' after '{anchor}' is not in the text");
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }
}

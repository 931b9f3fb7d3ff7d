using System.Security.Cryptography;
using System.Text;
using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.Evals.Core.Scoring;
using SiteCraft.Ml.Evals.Core.Suites;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>Suite files as docs/evals/README.md defines them: a full round-trip, resolution, and every refusal at its line.</summary>
public sealed class SuiteLoaderTests : IDisposable
{
    private const string GoodSuite =
        """
        suite: site-seo-meta
        use_case: site.seo.meta
        name: SEO meta, held-out briefs
        description: Titles and descriptions within limits.
        pass_threshold: 0.9
        defaults:
          system: "You write SEO meta."
          max_tokens: 256
          temperature: 0
          top_p: 1
          seed: 7
          response_format: json
          json_schema: catalog
          repeats: 3
        assertions:
          - type: is-json
          - type: json-schema
            schema: catalog
          - type: length
            path: /title
            max: 60
          - type: rouge-l
            threshold: 0.3
            weight: 0.5
          - type: latency
            max_ms: 10000
          - type: cost
            max_usd: 0.002
          - type: llm-judge
            rubric: "Does the description name the business and its city?"
            judge: openai/gpt-4o-mini
            threshold: 0.5
        cases:
          - id: seo-0001
            cluster: heldout-000001
            tags: [bakery, lisbon]
            input: "Business: a bakery in Lisbon"
            expected: '{"title": "Bakery in Lisbon"}'
            assertions:
              - type: length
                name: short-description
                path: /description
                max: 160
              - type: not-contains
                value: lorem
          - id: seo-0002
            messages:
              - {role: user, text: "Business: a florist in Porto"}
              - {role: assistant, text: "{}"}
              - {role: user, text: "Again, as JSON."}
            expected: '{"title": "Florist in Porto"}'
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("sitecraft-suites-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_good_suite_loads_with_every_field()
    {
        var path = Write("seo.yaml", GoodSuite);

        var suite = SuiteLoader.LoadFile(path);

        var seoSchema = UseCaseCatalog.Get(UseCaseCatalog.SeoMeta).JsonSchema;
        Assert.Equal("site-seo-meta", suite.SuiteId);
        Assert.Equal("site.seo.meta", suite.UseCase);
        Assert.Equal("SEO meta, held-out briefs", suite.Name);
        Assert.Equal("Titles and descriptions within limits.", suite.Description);
        Assert.Equal(0.9, suite.PassThreshold);
        Assert.Equal(new SuiteDefaults("You write SEO meta.", 256, 0, 1, 7, "json", seoSchema, 3), suite.Defaults);
        Assert.Equal(["is-json", "json-schema", "length", "rouge-l", "latency", "cost", "llm-judge"], suite.Assertions.Select(a => a.Type));
        Assert.Equal(seoSchema, suite.Assertions[1].Schema);
        Assert.Equal(new Assertion("length", Max: 60, Path: "/title"), suite.Assertions[2]);
        Assert.Equal(new Assertion("rouge-l", Threshold: 0.3, Weight: 0.5), suite.Assertions[3]);
        Assert.Equal(10000, suite.Assertions[4].MaxMs);
        Assert.Equal(0.002m, suite.Assertions[5].MaxUsd);
        Assert.Equal(("Does the description name the business and its city?", "openai/gpt-4o-mini", 0.5), (suite.Assertions[6].Rubric, suite.Assertions[6].Judge, suite.Assertions[6].Threshold));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), suite.ContentHash);
        Assert.Equal(path, suite.SourcePath);

        Assert.Equal(["seo-0001", "seo-0002"], suite.Cases.Select(c => c.Id));
        var first = suite.Cases[0];
        Assert.Equal("heldout-000001", first.Cluster);
        Assert.Equal(["bakery", "lisbon"], first.Tags);
        Assert.Equal([new SuiteMessage("user", "Business: a bakery in Lisbon")], first.Messages);
        Assert.Equal("{\"title\": \"Bakery in Lisbon\"}", first.Expected);
        Assert.Equal(
            ["short-description", "not-contains", "is-json", "json-schema", "length", "rouge-l", "latency", "cost", "llm-judge"],
            first.Assertions.Select(a => a.Name));

        var second = suite.Cases[1];
        Assert.Null(second.Cluster);
        Assert.Empty(second.Tags);
        Assert.Equal(
            [new SuiteMessage("user", "Business: a florist in Porto"), new SuiteMessage("assistant", "{}"), new SuiteMessage("user", "Again, as JSON.")],
            second.Messages);
        Assert.Equal(7, second.Assertions.Count);
    }

    [Fact]
    public void A_reference_assertion_without_value_compares_with_each_cases_expected()
    {
        var suite = SuiteLoader.LoadFile(Write("seo.yaml", GoodSuite));

        Assert.Equal("{\"title\": \"Bakery in Lisbon\"}", suite.Cases[0].Assertions.Single(a => a.Name == "rouge-l").Value);
        Assert.Equal("{\"title\": \"Florist in Porto\"}", suite.Cases[1].Assertions.Single(a => a.Name == "rouge-l").Value);
        Assert.Null(suite.Assertions[3].Value);
    }

    [Fact]
    public void An_explicit_value_is_kept_and_repeated_types_are_numbered()
    {
        var suite = SuiteLoader.LoadFile(Write("s.yaml", """
            suite: copy
            use_case: site.section.copy
            pass_threshold: 1
            assertions:
              - {type: length, max: 1200}
            cases:
              - id: c1
                input: Write copy.
                assertions:
                  - {type: length, min: 40}
                  - {type: bleu, value: fresh bread daily, threshold: 0.2}
                  - {type: not-equals}
                expected: Fresh bread every day.
            """));

        var assertions = suite.Cases[0].Assertions;
        Assert.Equal(["length", "bleu", "not-equals", "length#2"], assertions.Select(a => a.Name));
        Assert.Equal("fresh bread daily", assertions[1].Value);
        Assert.Equal("Fresh bread every day.", assertions[2].Value);
        Assert.Equal(new SuiteDefaults(null, null, null, null, null, "text", null, 1), suite.Defaults);
    }

    [Fact]
    public void The_definition_json_holds_everything_but_the_cases_and_the_input_json_the_messages()
    {
        var suite = SuiteLoader.LoadFile(Write("seo.yaml", GoodSuite));

        var definition = suite.ToDefinitionJson();
        Assert.Equal("site-seo-meta", (string?)definition["suite"]);
        Assert.Equal(0.9, (double?)definition["pass_threshold"]);
        Assert.Equal(3, (int?)definition["defaults"]!["repeats"]);
        Assert.Equal("/title", (string?)definition["assertions"]![2]!["path"]);
        Assert.Equal(0.002m, (decimal?)definition["assertions"]![5]!["max_usd"]);
        Assert.Null(definition["cases"]);

        Assert.Equal(
            """{"messages":[{"role":"user","text":"Business: a florist in Porto"},{"role":"assistant","text":"{}"},{"role":"user","text":"Again, as JSON."}]}""",
            suite.Cases[1].ToInputJson().ToJsonString());
    }

    [Fact]
    public void Catalog_schema_needs_a_use_case_with_a_schema()
    {
        var error = Fails("""
            suite: copy
            use_case: site.section.copy
            pass_threshold: 1
            assertions:
              - type: json-schema
                schema: catalog
            cases:
              - {id: c1, input: Write copy.}
            """, 6);

        Assert.Equal("schema: use case 'site.section.copy' has no catalog schema (it is text)", error.Reason);
    }

    [Fact]
    public void An_inline_schema_is_kept_as_written()
    {
        var suite = SuiteLoader.LoadFile(Write("s.yaml", """
            suite: page
            use_case: site.page.json
            pass_threshold: 0.5
            defaults:
              json_schema: '{"type": "object"}'
            cases:
              - id: p1
                input: A page.
                assertions:
                  - {type: json-schema, schema: '{"type": "object", "required": ["title"]}'}
            """));

        Assert.Equal("{\"type\": \"object\"}", suite.Defaults.JsonSchema);
        Assert.Equal("json", suite.Defaults.ResponseFormat);
        Assert.Equal("{\"type\": \"object\", \"required\": [\"title\"]}", suite.Cases[0].Assertions[0].Schema);
    }

    public static TheoryData<string, int, string> BadSuites => new()
    {
        { "suite: a\nuse_case: site.seo.meta\npass_threshold: [0.9\ncases: []\n", 3, "YAML syntax error at or after this line" },
        { "suite: a\nuse_case: site.seo.meta\n  pass_threshold: 1\n", 3, "YAML syntax error: " },
        { Head + "cases:\n  - id: \"c1\n", 5, "YAML syntax error: While scanning a quoted scalar" },
        { "suite: a\nsuite: b\n", 2, "key 'suite' is given twice" },
        { "", 1, "the file is empty" },
        { "- just\n- a list\n", 1, "the suite: must be a mapping" },
        { Head + "inptu: x\n", 4, "unknown key 'inptu' (expected one of suite, use_case, name, description, pass_threshold, defaults, assertions, cases)" },
        { "use_case: site.seo.meta\npass_threshold: 1\ncases: []\n", 1, "suite: a suite is missing the required key 'suite'" },
        { "suite: a\nuse_case: site.seo.meta\ncases:\n  - {id: c, input: x}\n", 1, "pass_threshold: a suite is missing the required key 'pass_threshold'" },
        { "suite: Bad_Id\nuse_case: site.seo.meta\npass_threshold: 1\n" + Cases, 1, "suite: 'Bad_Id' is not a suite id ([a-z0-9][a-z0-9.-]*)" },
        { "suite: a\nuse_case: site.blog\npass_threshold: 1\n" + Cases, 2, "use_case: unknown use case 'site.blog' (known: site.page.json, site.section.copy, site.seo.meta)" },
        { "suite: a\nuse_case: site.seo.meta\npass_threshold: 1.5\n" + Cases, 3, "pass_threshold: 1.5 is outside [0, 1]" },
        { "suite: a\nuse_case: site.seo.meta\npass_threshold: high\n" + Cases, 3, "pass_threshold: must be a number, not 'high'" },
        { "suite: [a]\nuse_case: site.seo.meta\npass_threshold: 1\n" + Cases, 1, "suite: must be a single value, not a list" },
        { Head + "defaults:\n  repeats: 0\n" + Cases, 5, "repeats: 0 is outside [1, 20]" },
        { Head + "defaults:\n  repeats: 21\n" + Cases, 5, "repeats: 21 is outside [1, 20]" },
        { Head + "defaults:\n  temperature: 2.5\n" + Cases, 5, "temperature: 2.5 is outside [0, 2]" },
        { Head + "defaults:\n  top_p: 0\n" + Cases, 5, "top_p: 0 is outside (0, 1]" },
        { Head + "defaults:\n  max_tokens: 1.5\n" + Cases, 5, "max_tokens: must be a whole number, not '1.5'" },
        { Head + "defaults:\n  response_format: xml\n" + Cases, 5, "response_format: 'xml' is not text or json" },
        { Head + "defaults:\n  response_format: text\n  json_schema: catalog\n" + Cases, 6, "json_schema: only a json response_format takes a schema" },
        { Head + "defaults:\n  json_schema: '{not json'\n" + Cases, 5, "json_schema: not a JSON Schema" },
        { Head + "defaults:\n  temprature: 1\n" + Cases, 5, "unknown key 'temprature' in defaults (expected one of system, max_tokens" },
        { Head + "cases: []\n", 4, "cases: a suite needs at least one case" },
        { Head + "cases:\n  - {id: c1, input: x}\n  - id: c2\n    input: y\n  - id: c1\n    input: z\n", 8, "id: the case id 'c1' is used twice in the suite" },
        { Head + "cases:\n  - id: c1\n    tags: [a]\n", 5, "case 'c1' needs input or messages" },
        { Head + "cases:\n  - id: c1\n    input: x\n    messages: [{role: user, text: y}]\n", 7, "case 'c1' has both input and messages; give one" },
        { Head + "cases:\n  - id: c1\n    messages:\n      - role: user\n        text: ''\n", 8, "text: case 'c1' has an empty message text" },
        { Head + "cases:\n  - id: c1\n    input: '   '\n", 6, "input: case 'c1' has an empty message text" },
        { Head + "cases:\n  - id: c1\n    messages:\n      - {role: system, text: hi}\n", 7, "role: 'system' is not user or assistant" },
        { Head + "cases:\n  - id: c1\n    messages: []\n", 6, "messages: case 'c1' needs at least one message" },
        { Head + "cases:\n  - id: c1\n    input: x\n    inptu: y\n", 7, "unknown key 'inptu' in a case (expected one of id, cluster, tags, input, messages, expected, assertions)" },
        { Head + "cases:\n  - id: c1\n    input: \"a\\0b\"\n", 6, "input: contains a NUL character" },
        { Head + "assertions:\n  - type: similarity\n" + Cases, 5, "type: 'similarity' is not one of" },
        { Head + "assertions:\n  - type: latency\n    max_ms: 0\n" + Cases, 6, "max_ms: 0 is outside (0," },
        { Head + "assertions:\n  - type: latency\n" + Cases, 5, "max_ms: latency needs max_ms > 0" },
        { Head + "assertions:\n  - type: llm-judge\n    threshold: 0.5\n" + Cases, 5, "rubric: llm-judge needs a rubric" },
        { Head + "assertions:\n  - type: regex\n    value: '('\n" + Cases, 6, "value: not a regular expression" },
        { Head + "assertions:\n  - type: length\n    rubric: short?\n" + Cases, 6, "rubric: length does not take rubric (it takes type, name, weight, threshold, path, min, max)" },
        { Head + "assertions:\n  - type: is-json\n    path: title\n" + Cases, 6, "path: 'title' is not a JSON Pointer" },
        { Head + "assertions:\n  - type: contains\n    vaule: x\n" + Cases, 6, "unknown key 'vaule' in an assertion" },
        { Head + "assertions:\n  - type: contains-any\n    values: bread\n" + Cases, 6, "values: must be a list" },
        { Head + "assertions:\n  - type: rouge-l\ncases:\n  - {id: c1, input: x, expected: y}\n  - id: c2\n    input: z\n", 8, "case 'c2': rouge-l (a suite assertion) has no value and the case has no expected" },
        { Head + "cases:\n  - id: c1\n    input: x\n    assertions:\n      - type: not-f1\n        threshold: 0.5\n", 8, "case 'c1': not-f1 has no value and the case has no expected" },
    };

    private const string Head = "suite: a\nuse_case: site.seo.meta\npass_threshold: 1\n";
    private const string Cases = "cases:\n  - {id: c1, input: x}\n";

    [Theory]
    [MemberData(nameof(BadSuites))]
    public void A_bad_suite_is_refused_at_its_line(string yaml, int line, string reason)
    {
        var error = Fails(yaml, line);

        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_loads_its_good_files_and_reports_the_bad_ones()
    {
        Write("a-good.yaml", GoodSuite);
        Write("b-bad.yml", Head + "cases: []\n");
        Write("c-same-id.yaml", GoodSuite.Replace("name: SEO meta", "name: Copy of SEO meta", StringComparison.Ordinal));
        Write("d-other.yaml", "suite: copy\nuse_case: site.section.copy\npass_threshold: 1\n" + Cases);
        Write("notes.txt", "not a suite");

        var result = SuiteLoader.LoadDirectory(_folder);

        Assert.Equal(["site-seo-meta", "copy"], result.Suites.Select(s => s.SuiteId));
        Assert.Equal([Path.Combine(_folder, "b-bad.yml"), Path.Combine(_folder, "c-same-id.yaml")], result.Errors.Select(e => e.File));
        Assert.Equal($"{Path.Combine(_folder, "b-bad.yml")}:4: cases: a suite needs at least one case", result.Errors[0].Message);
        Assert.Equal(1, result.Errors[1].Line);
        Assert.Equal($"suite: 'site-seo-meta' is already the id of {Path.Combine(_folder, "a-good.yaml")}", result.Errors[1].Reason);
    }

    [Fact]
    public void The_hash_is_of_the_bytes_so_any_edit_changes_it()
    {
        var one = SuiteLoader.LoadFile(Write("one.yaml", GoodSuite));
        var two = SuiteLoader.LoadFile(Write("two.yaml", GoodSuite + "\n# a comment\n"));

        Assert.Equal(64, one.ContentHash.Length);
        Assert.Equal(one.ContentHash.ToLowerInvariant(), one.ContentHash);
        Assert.NotEqual(one.ContentHash, two.ContentHash);
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_refused()
    {
        var path = Path.Combine(_folder, "latin1.yaml");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("suite: caf"), 0xE9, (byte)'\n']);

        var error = Assert.Throws<SuiteFormatException>(() => SuiteLoader.LoadFile(path));

        Assert.Equal(1, error.Line);
        Assert.StartsWith("the file is not UTF-8", error.Reason, StringComparison.Ordinal);
    }

    private SuiteFormatException Fails(string yaml, int line)
    {
        var path = Write("suite.yaml", yaml);

        var error = Assert.Throws<SuiteFormatException>(() => SuiteLoader.LoadFile(path));

        Assert.Equal(path, error.File);
        Assert.True(line == error.Line, $"expected line {line}: {error.Message}");
        Assert.Equal($"{path}:{line}: {error.Reason}", error.Message);
        return error;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}

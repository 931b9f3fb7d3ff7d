using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.Evals.Core.Scoring;
using SiteCraft.Ml.LocalModel.Tokenization;
using SiteCraft.Ml.Training.Corpus;
using SiteCraft.Ml.Training.Corpus.Evals;

namespace SiteCraft.Ml.LocalModel.Tests.Corpus;

public sealed partial class EvalSuitesTests
{
    // The corpus seed the committed model was trained on (sitecraft-train train/corpus --corpus-seed default, model_card.md).
    private const int TrainingCorpusSeed = 20261126;
    private const int TrainingBriefs = 20_000;
    private const string Regenerate = "regenerate with `dotnet run --project services/SiteCraft.Ml.Training -- suites` from the repository root and commit the files";

    private static readonly IReadOnlyList<EvalSuite> s_suites = EvalSuites.Build();
    private static readonly string s_repoRoot = FindRepoRoot();
    private static readonly string s_suiteFolder = Path.Combine(s_repoRoot, "docs", "evals", "suites");

    [Fact]
    public void Generating_the_suites_gives_the_committed_files_byte_for_byte()
    {
        var folder = Directory.CreateTempSubdirectory("sitecraft-suites-").FullName;
        try
        {
            var written = EvalSuiteWriter.WriteAll(folder);

            Assert.Equal(["site-page-json.yaml", "site-section-copy.yaml", "site-seo-meta.yaml"], written.Select(Path.GetFileName));
            foreach (var path in written)
            {
                var committed = Path.Combine(s_suiteFolder, Path.GetFileName(path));
                Assert.True(File.Exists(committed), $"{committed} is missing; {Regenerate}");
                Assert.True(
                    File.ReadAllBytes(path).AsSpan().SequenceEqual(File.ReadAllBytes(committed)),
                    $"docs/evals/suites/{Path.GetFileName(path)} differs from what the generator writes; {Regenerate}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("site-page-json", "site.page.json")]
    [InlineData("site-section-copy", "site.section.copy")]
    [InlineData("site-seo-meta", "site.seo.meta")]
    public void Each_committed_suite_names_its_use_case_and_holds_at_least_200_cases_with_unique_ids(string suite, string useCase)
    {
        var text = File.ReadAllText(Path.Combine(s_suiteFolder, $"{suite}.yaml"));

        Assert.Contains($"\nsuite: \"{suite}\"\n", text, StringComparison.Ordinal);
        Assert.Contains($"\nuse_case: \"{useCase}\"\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', text);
        var ids = CaseId().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.True(ids.Count >= 200, $"{suite}: {ids.Count} cases");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Page_and_seo_suites_ask_about_the_same_briefs_and_section_copy_about_two_sections_of_half_of_them()
    {
        var page = Suite(EvalSuites.PageSuite);
        var seo = Suite(EvalSuites.SeoSuite);
        var copy = Suite(EvalSuites.SectionCopySuite);

        Assert.Equal(page.Cases.Select(c => c.Cluster), seo.Cases.Select(c => c.Cluster));
        Assert.Equal(200, page.Cases.Select(c => c.Brief.BusinessName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(200, copy.Cases.Count);
        foreach (var brief in copy.Cases.GroupBy(c => c.Cluster))
        {
            Assert.Equal(2, brief.Count());
            Assert.Equal(2, brief.Select(c => c.Section).Distinct().Count());
            Assert.All(brief, c => Assert.Contains(c.Section, c.Brief.Sections));
            Assert.All(brief, c => Assert.EndsWith($"\nWrite the {c.Section} section.", c.Input, StringComparison.Ordinal));
        }

        Assert.Equal(page.Cases.Take(100).Select(c => c.Cluster), copy.Cases.Select(c => c.Cluster).Distinct());
    }

    [Fact]
    public void Cases_prompt_exactly_as_training_does_with_the_corpus_reference_as_expected()
    {
        foreach (var suite in s_suites)
        {
            foreach (var item in suite.Cases)
            {
                var prompt = SiteCorpus.PromptFor(suite.UseCase, item.Brief, item.Section);
                Assert.Equal(suite.System, prompt[0].Content);
                Assert.Equal(prompt[1].Content, item.Input);
                Assert.Equal(SiteCorpus.ReferenceFor(suite.UseCase, item.Brief, item.Section), item.Expected);
            }
        }
    }

    [Fact]
    public void No_eval_prompt_or_business_name_occurs_in_training_or_in_the_quality_check_briefs()
    {
        var trainingPrompts = new HashSet<string>(StringComparer.Ordinal);
        var trainingNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var example in SiteCorpus.Generate(TrainingCorpusSeed, TrainingBriefs))
        {
            var user = example.Messages[1].Content;
            trainingPrompts.Add(user);
            trainingNames.Add(user[..user.IndexOf('\n', StringComparison.Ordinal)]["Business: ".Length..]);
        }

        var quality = SiteCorpus.HeldOutBriefs(EvalSuites.QualityCheckSeed, EvalSuites.QualityCheckBriefs);
        var qualityPrompts = quality.Select(b => b.ToPromptText()).ToHashSet(StringComparer.Ordinal);
        var qualityNames = quality.Select(b => b.BusinessName).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.True(trainingPrompts.Count >= TrainingBriefs, $"{trainingPrompts.Count} distinct training prompts");
        foreach (var item in s_suites.SelectMany(s => s.Cases))
        {
            Assert.DoesNotContain(item.Brief.BusinessName, trainingNames);
            Assert.DoesNotContain(item.Input, trainingPrompts);
            Assert.DoesNotContain(item.Brief.BusinessName, qualityNames);
            Assert.DoesNotContain(item.Brief.ToPromptText(), qualityPrompts);
            Assert.StartsWith("heldout-", item.Cluster, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_json_expectation_validates_against_the_catalog_schema_and_every_copy_fits_the_catalog_length()
    {
        foreach (var suite in s_suites.Where(s => s.JsonOutput))
        {
            var schema = JsonSchema.FromText(UseCaseCatalog.Get(suite.UseCase).JsonSchema!, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            foreach (var item in suite.Cases)
            {
                using var expected = JsonDocument.Parse(item.Expected);
                Assert.True(schema.Evaluate(expected.RootElement).IsValid, $"{suite.Id} {item.Id}: {item.Expected}");
            }
        }

        Assert.All(Suite(EvalSuites.SectionCopySuite).Cases, c => Assert.InRange(c.Expected.Length, 40, 1200));
    }

    [Fact]
    public void The_reference_answer_passes_every_assertion_of_its_case()
    {
        foreach (var suite in s_suites)
        {
            foreach (var item in suite.Cases)
            {
                foreach (var assertion in item.Assertions.Concat(suite.Assertions))
                {
                    var result = AssertionScorer.Score(ForScorer(suite, item, assertion), At(item.Expected, assertion.Path));
                    Assert.True(result.Passed, $"{suite.Id} {item.Id} {assertion.Name ?? assertion.Type}: {result.Reason}");
                }
            }
        }
    }

    [Fact]
    public void A_page_answer_fails_the_seo_suite_and_json_fails_the_copy_suite()
    {
        var page = Suite(EvalSuites.PageSuite).Cases[0];
        var seo = Suite(EvalSuites.SeoSuite);
        var copy = Suite(EvalSuites.SectionCopySuite);

        var seoSchema = seo.Assertions.Single(a => a.Type == "json-schema");
        var notJson = copy.Assertions.Single(a => a.Name == "not-json");

        Assert.False(AssertionScorer.Score(ForScorer(seo, seo.Cases[0], seoSchema), page.Expected).Passed);
        Assert.False(AssertionScorer.Score(ForScorer(copy, copy.Cases[0], notJson), page.Expected).Passed);
    }

    [Fact]
    public void Every_seo_reference_title_names_the_business_so_the_name_check_can_look_at_the_title()
    {
        foreach (var item in Suite(EvalSuites.SeoSuite).Cases)
        {
            using var expected = JsonDocument.Parse(item.Expected);
            Assert.Contains(item.Brief.BusinessName, expected.RootElement.GetProperty("title").GetString()!, StringComparison.OrdinalIgnoreCase);
            Assert.Equal("/title", item.Assertions.Single(a => a.Name == "business-name").Path);
        }
    }

    [Fact]
    public void Every_prompt_with_its_max_tokens_fits_the_local_model_context_and_leaves_room_for_the_reference()
    {
        var model = Path.Combine(s_repoRoot, "services", "SiteCraft.Ml.LocalModel", "models", "sitecraft-base", "1");
        var tokenizer = BpeTokenizer.Load(Path.Combine(model, "tokenizer.json"));
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "config.json")));
        var context = config.RootElement.GetProperty("max_position_embeddings").GetInt32();

        foreach (var suite in s_suites)
        {
            foreach (var item in suite.Cases)
            {
                var prompt = ChatTemplate.EncodePrompt(tokenizer, [(ChatTemplate.SystemRole, suite.System), (ChatTemplate.UserRole, item.Input)], addGenerationPrompt: true).Count;
                // The reference and the <|end|> that closes it.
                var answer = tokenizer.Encode(item.Expected, allowSpecial: false).Count + 1;
                Assert.True(prompt + suite.MaxTokens <= context, $"{suite.Id} {item.Id}: {prompt} prompt tokens + max_tokens {suite.MaxTokens} > {context}");
                Assert.True(answer <= suite.MaxTokens, $"{suite.Id} {item.Id}: the reference takes {answer} tokens, max_tokens is {suite.MaxTokens}");
            }
        }
    }

    [Fact]
    public void The_suite_limits_are_the_catalog_limits()
    {
        Assert.Equal(EvalSuites.TitleMaxChars, UseCaseCatalog.Get(UseCaseCatalog.SeoMeta).Limits["title_max_chars"]);
        Assert.Equal(EvalSuites.DescriptionMaxChars, UseCaseCatalog.Get(UseCaseCatalog.SeoMeta).Limits["description_max_chars"]);
        Assert.Equal(EvalSuites.BodyMinChars, UseCaseCatalog.Get(UseCaseCatalog.SectionCopy).Limits["body_min_chars"]);
        Assert.Equal(EvalSuites.BodyMaxChars, UseCaseCatalog.Get(UseCaseCatalog.SectionCopy).Limits["body_max_chars"]);
    }

    [Fact]
    public void A_reference_depends_only_on_the_prompt_and_exists_only_for_the_brief_sections()
    {
        var brief = SiteCorpus.HeldOutBriefs(EvalSuites.DefaultSeed, 1)[0];
        var renamed = brief with { Id = "other-id" };
        string[] others = ["pricing", "faq", "team", "gallery"];
        var missing = others.First(s => !brief.Sections.Contains(s));

        Assert.Equal(SiteCorpus.ReferenceFor(SiteCorpus.PageJson, brief), SiteCorpus.ReferenceFor(SiteCorpus.PageJson, renamed));
        Assert.NotEqual(
            SiteCorpus.ReferenceFor(SiteCorpus.SectionCopy, brief, brief.Sections[1]),
            SiteCorpus.ReferenceFor(SiteCorpus.SectionCopy, brief, brief.Sections[2]));
        Assert.Throws<ArgumentException>(() => SiteCorpus.ReferenceFor(SiteCorpus.SectionCopy, brief, missing));
        Assert.Throws<ArgumentException>(() => SiteCorpus.ReferenceFor("site.unknown", brief));
    }

    private static EvalSuite Suite(string id) => s_suites.Single(s => s.Id == id);

    // The runner's reading of a suite assertion: "catalog" is the use case's schema, a rouge-l without value compares with expected.
    private static Assertion ForScorer(EvalSuite suite, EvalCase item, EvalAssertion a) => new(
        a.Type,
        a.Value ?? (a.Type == "rouge-l" ? item.Expected : null),
        Min: a.Min,
        Max: a.Max,
        Schema: a.Schema == "catalog" ? UseCaseCatalog.Get(suite.UseCase).JsonSchema : a.Schema,
        Threshold: a.Threshold ?? 1.0,
        Weight: a.Weight ?? 1.0);

    // The suites' paths are one level deep ("/title"); the value there, or the whole output without a path.
    private static string At(string output, string? path)
    {
        if (path is null)
        {
            return output;
        }

        using var document = JsonDocument.Parse(output);
        return document.RootElement.GetProperty(path.TrimStart('/')).GetString()!;
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SiteCraft.Ml.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SiteCraft.Ml.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("^  - id: \"([^\"]+)\"$", RegexOptions.Multiline)]
    private static partial Regex CaseId();
}

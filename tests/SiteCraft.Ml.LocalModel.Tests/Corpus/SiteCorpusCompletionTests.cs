using System.Globalization;
using System.Text.Json;
using Json.Schema;
using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.Training.Corpus;
using SiteCraft.Ml.Training.Corpus.Writing;

namespace SiteCraft.Ml.LocalModel.Tests.Corpus;

public sealed class SiteCorpusCompletionTests
{
    private static readonly IReadOnlyList<CorpusExample> s_examples = [.. SiteCorpus.Generate(seed: 1, briefCount: 2_000)];

    [Fact]
    public void Each_brief_gives_a_page_an_seo_meta_and_two_different_section_copies()
    {
        Assert.Equal(8_000, s_examples.Count);
        foreach (var brief in s_examples.GroupBy(e => e.BriefId))
        {
            Assert.Equal(["site.page.json", "site.seo.meta", "site.section.copy", "site.section.copy"], brief.Select(e => e.UseCase));
            var copies = brief.Where(e => e.UseCase == SiteCorpus.SectionCopy).Select(e => e.Id).ToList();
            Assert.Equal(2, copies.Distinct().Count());
        }
    }

    [Fact]
    public void Every_page_of_the_first_2000_briefs_validates_against_the_catalog_schema()
    {
        var schema = JsonSchema.FromText(UseCaseCatalog.Get(UseCaseCatalog.PageJson).JsonSchema!);

        foreach (var example in Pages())
        {
            using var page = JsonDocument.Parse(example.Completion);
            var result = schema.Evaluate(page.RootElement);
            Assert.True(result.IsValid, $"{example.Id}: {example.Completion}");
        }
    }

    [Fact]
    public void Pages_keep_the_brief_sections_in_order_with_short_headings_bodies_and_titles()
    {
        foreach (var example in Pages())
        {
            var brief = BriefOf(example);
            using var page = JsonDocument.Parse(example.Completion);
            var root = page.RootElement;
            Assert.Equal(["title", "language", "sections"], root.EnumerateObject().Select(p => p.Name));
            Assert.InRange(root.GetProperty("title").GetString()!.Length, 1, 60);
            Assert.Equal(brief.Language, root.GetProperty("language").GetString());
            Assert.InRange(example.Completion.Length, 1, 1_150);

            var sections = root.GetProperty("sections").EnumerateArray().ToList();
            Assert.Equal(brief.Sections, sections.Select(s => s.GetProperty("type").GetString()));
            foreach (var section in sections)
            {
                var type = section.GetProperty("type").GetString();
                var body = section.GetProperty("body").GetString()!;
                Assert.InRange(section.GetProperty("heading").GetString()!.Length, 1, 60);
                Assert.InRange(body.Length, 1, 220);
                Assert.InRange(Sentences.Count(body), 1, 2);
                Assert.Equal(type is "hero" or "cta" or "contact", section.TryGetProperty("cta", out _));
            }
        }
    }

    [Fact]
    public void Pages_average_under_a_thousand_characters_so_prompt_and_page_fit_the_context()
    {
        var lengths = Pages().Select(e => e.Completion.Length).ToList();

        Assert.InRange(lengths.Average(), 500, 1_000);
        Assert.True(lengths.Count(l => l > 1_000) < lengths.Count / 20, "more than 5% of pages run over 1,000 characters");
    }

    [Fact]
    public void Calls_to_action_link_to_placeholders_and_never_to_real_contact_details()
    {
        foreach (var example in Pages())
        {
            using var page = JsonDocument.Parse(example.Completion);
            foreach (var section in page.RootElement.GetProperty("sections").EnumerateArray())
            {
                if (section.TryGetProperty("cta", out var cta))
                {
                    var href = cta.GetProperty("href").GetString()!;
                    Assert.True(
                        href.StartsWith('/') || href.StartsWith('#') || href == "mailto:hello@example.com" || href.StartsWith("tel:555-01", StringComparison.Ordinal),
                        href);
                }
            }
        }
    }

    [Fact]
    public void Every_seo_meta_parses_names_the_business_and_city_and_stays_within_search_limits()
    {
        var schema = JsonSchema.FromText(UseCaseCatalog.Get(UseCaseCatalog.SeoMeta).JsonSchema!);

        foreach (var example in s_examples.Where(e => e.UseCase == SiteCorpus.SeoMeta))
        {
            var brief = BriefOf(example);
            using var meta = JsonDocument.Parse(example.Completion);
            Assert.True(schema.Evaluate(meta.RootElement).IsValid, example.Completion);
            var title = meta.RootElement.GetProperty("title").GetString()!;
            var description = meta.RootElement.GetProperty("description").GetString()!;
            Assert.InRange(title.Length, 1, 60);
            Assert.InRange(description.Length, 70, 155);
            Assert.Contains(brief.BusinessName, title + " " + description, StringComparison.Ordinal);
            Assert.Contains(brief.City, title + " " + description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_section_copy_is_plain_text_within_the_catalog_limits_and_150_to_450_characters()
    {
        var copies = s_examples.Where(e => e.UseCase == SiteCorpus.SectionCopy).ToList();
        var limits = UseCaseCatalog.Get(UseCaseCatalog.SectionCopy).Limits;

        foreach (var example in copies)
        {
            Assert.InRange(example.Completion.Length, limits["body_min_chars"], limits["body_max_chars"]);
            Assert.InRange(example.Completion.Length, 150, 450);
            Assert.DoesNotContain('{', example.Completion);
            Assert.DoesNotContain('\n', example.Completion);
            Assert.InRange(Sentences.Count(example.Completion), 2, 4);
        }

        // A fourth sentence is only the rare way out when three cannot reach 150 characters.
        Assert.True(copies.Count(e => Sentences.Count(e.Completion) > 3) < copies.Count / 100, "more than 1% of copies have four sentences");
    }

    [Fact]
    public void Prompts_are_the_ones_PromptFor_gives_for_the_brief()
    {
        foreach (var example in s_examples.Take(400))
        {
            var brief = BriefOf(example);
            var section = example.UseCase == SiteCorpus.SectionCopy ? example.Id.Split('.')[^1] : null;

            Assert.Equal(SiteCorpus.PromptFor(example.UseCase, brief, section), example.Messages);
        }
    }

    [Fact]
    public void No_completion_or_prompt_has_an_unfilled_template_slot_or_a_non_ascii_character()
    {
        foreach (var example in s_examples)
        {
            var text = example.Completion.Replace("{\"", "", StringComparison.Ordinal) + string.Concat(example.Messages.Select(m => m.Content));
            Assert.DoesNotMatch(@"\{[a-zA-Z0-9]+\}", text);
            Assert.True(text.All(char.IsAscii), example.Id);
        }
    }

    private static IEnumerable<CorpusExample> Pages() => s_examples.Where(e => e.UseCase == SiteCorpus.PageJson);

    private static BusinessBrief BriefOf(CorpusExample example) =>
        SiteCorpus.TrainingBrief(seed: 1, int.Parse(example.BriefId["brief-".Length..], CultureInfo.InvariantCulture));
}

using System.Text.Json;
using SiteCraft.Ml.Training.Corpus;

namespace SiteCraft.Ml.LocalModel.Tests.Corpus;

public sealed class SiteCorpusVarietyTests
{
    private const int BriefCount = 2_000;

    private static readonly IReadOnlyList<BusinessBrief> s_briefs = [.. Enumerable.Range(0, BriefCount).Select(i => SiteCorpus.TrainingBrief(seed: 1, i))];

    private static readonly IReadOnlyList<JsonElement> s_pages =
    [
        .. SiteCorpus.Generate(seed: 1, BriefCount)
            .Where(e => e.UseCase == SiteCorpus.PageJson)
            .Select(e => JsonDocument.Parse(e.Completion).RootElement),
    ];

    [Fact]
    public void Briefs_span_at_least_25_industries_40_cities_and_every_tone()
    {
        Assert.True(s_briefs.Select(b => b.Industry).Distinct().Count() >= 25);
        Assert.True(s_briefs.Select(b => b.City).Distinct().Count() >= 40);
        Assert.Equal(8, s_briefs.Select(b => b.Tone).Distinct().Count());
    }

    [Fact]
    public void Briefs_follow_the_shape_rules_for_offerings_sections_and_language()
    {
        foreach (var brief in s_briefs)
        {
            Assert.InRange(brief.Offerings.Count, 2, 4);
            Assert.Equal(brief.Offerings.Count, brief.Offerings.Distinct().Count());
            Assert.InRange(brief.Sections.Count, 3, 6);
            Assert.Equal("hero", brief.Sections[0]);
            Assert.Equal(brief.Sections.Count, brief.Sections.Distinct().Count());
            Assert.Matches("^en(-[A-Z]{2})?$", brief.Language);
        }

        Assert.True(s_briefs.Count(b => b.Language == "en") > BriefCount / 2, "plain en should be the common case");
    }

    [Fact]
    public void At_least_95_percent_of_page_titles_are_unique()
    {
        var titles = s_pages.Select(p => p.GetProperty("title").GetString()).ToList();

        Assert.True(titles.Distinct().Count() >= titles.Count * 0.95, $"{titles.Distinct().Count()} distinct of {titles.Count}");
    }

    [Fact]
    public void At_least_80_percent_of_hero_bodies_are_unique()
    {
        var heroes = s_pages.Select(p => p.GetProperty("sections")[0].GetProperty("body").GetString()).ToList();

        Assert.True(heroes.Distinct().Count() >= heroes.Count * 0.8, $"{heroes.Distinct().Count()} distinct of {heroes.Count}");
    }

    [Fact]
    public void The_corpus_holds_thousands_of_distinct_sentences()
    {
        var sentences = s_pages
            .SelectMany(p => p.GetProperty("sections").EnumerateArray())
            .SelectMany(s => s.GetProperty("body").GetString()!.Split(". "))
            .Distinct()
            .Count();

        Assert.True(sentences >= 5_000, $"{sentences} distinct sentences");
    }
}

using SiteCraft.Ml.Training.Corpus;

namespace SiteCraft.Ml.LocalModel.Tests.Corpus;

public sealed class HeldOutBriefTests
{
    [Fact]
    public void Held_out_briefs_share_no_id_with_generated_ones()
    {
        var heldOut = SiteCorpus.HeldOutBriefs(seed: 1, count: 200);
        var trainingIds = SiteCorpus.Generate(seed: 1, briefCount: 5_000).Select(e => e.BriefId).ToHashSet();

        Assert.Equal(200, heldOut.Select(b => b.Id).Distinct().Count());
        Assert.All(heldOut, b => Assert.StartsWith("heldout-", b.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(heldOut, b => trainingIds.Contains(b.Id));
    }

    [Fact]
    public void Held_out_prompts_differ_from_every_training_prompt_and_business_name()
    {
        var training = SiteCorpus.Generate(seed: 1, briefCount: 5_000).Where(e => e.UseCase == SiteCorpus.PageJson).ToList();
        var trainingPrompts = training.Select(e => e.Messages[1].Content).ToHashSet(StringComparer.Ordinal);
        var trainingNames = training.Select(e => e.Messages[1].Content.Split('\n')[0]).ToHashSet(StringComparer.Ordinal);

        foreach (var brief in SiteCorpus.HeldOutBriefs(seed: 1, count: 200))
        {
            var prompt = SiteCorpus.PromptFor(SiteCorpus.PageJson, brief)[1].Content;
            Assert.DoesNotContain(prompt, trainingPrompts);
            Assert.DoesNotContain($"Business: {brief.BusinessName}", trainingNames);
        }
    }

    [Fact]
    public void Held_out_briefs_look_like_training_briefs()
    {
        var heldOut = SiteCorpus.HeldOutBriefs(seed: 1, count: 500);

        Assert.True(heldOut.Select(b => b.Industry).Distinct().Count() >= 25);
        Assert.All(heldOut, b => Assert.Equal("hero", b.Sections[0]));
    }

    [Fact]
    public void PromptFor_gives_a_fixed_system_message_per_use_case_and_asks_for_the_section()
    {
        var brief = SiteCorpus.HeldOutBriefs(seed: 1, count: 1)[0];

        var page = SiteCorpus.PromptFor(SiteCorpus.PageJson, brief);
        var copy = SiteCorpus.PromptFor(SiteCorpus.SectionCopy, brief, "about");

        Assert.Equal(["system", "user"], page.Select(m => m.Role));
        Assert.Equal("You write SiteCraft landing pages as compact JSON matching the site.page.json schema.", page[0].Content);
        Assert.Equal(brief.ToPromptText(), page[1].Content);
        Assert.EndsWith("\nWrite the about section.", copy[1].Content, StringComparison.Ordinal);
        Assert.NotEqual(page[0].Content, SiteCorpus.PromptFor(SiteCorpus.SeoMeta, brief)[0].Content);
        Assert.Throws<ArgumentException>(() => SiteCorpus.PromptFor(SiteCorpus.SectionCopy, brief));
        Assert.Throws<ArgumentException>(() => SiteCorpus.PromptFor("site.unknown", brief));
    }
}

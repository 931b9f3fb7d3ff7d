using SiteCraft.Ml.Contracts.Core.Curation;

namespace SiteCraft.Ml.Contracts.Tests;

public sealed class QualityFilterTests
{
    private readonly QualityFilter _filter = new(TrainingContract.Contract.Curation.Quality);

    [Theory]
    [InlineData(SiteContent.LandingPageHtml)]
    [InlineData(SiteContent.PageJson)]
    [InlineData("Fresh bread every morning: {sourdough, rye, spelt} and a croissant that shatters when you bite it.")]
    public void Real_html_css_and_json_completions_pass_despite_braces_and_repeated_markup(string completion) =>
        Assert.Empty(Check(completion));

    [Theory]
    [InlineData("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.", "lorem_ipsum")]
    [InlineData("Welcome to {{ company_name }}, the best bakery in {{city}} since forever and ever.", "template_hole")]
    [InlineData("Welcome to [Your Company Name], where every loaf is baked with care and patience.", "bracketed_instruction")]
    [InlineData("<h1>Our story</h1><p>Insert your text here and tell visitors who you are.</p>", "insert_here")]
    public void Placeholder_text_is_rejected_with_its_name(string completion, string placeholder)
    {
        var reason = Assert.Single(Check(completion));

        Assert.Equal(("quality.placeholder@1", $"completion contains placeholder text ({placeholder})"), (reason.RuleVersion, reason.Reason));
    }

    [Theory]
    [InlineData("", "completion is empty (or only whitespace) after normalisation")]
    [InlineData("Too short.", "completion has 10 characters, fewer than the 20 required")]
    public void Text_outside_the_length_bounds_is_rejected(string completion, string reason) =>
        Assert.Equal(("quality.length@1", reason), Check(completion).Select(r => (r.RuleVersion, r.Reason)).Single());

    [Fact]
    public void Copy_that_repeats_its_lines_is_rejected_after_gopher()
    {
        var lines = Enumerable.Range(0, 6).Select(i => TrainingRecords.Prose(50 + i, 15)).Concat(Enumerable.Repeat("Open daily.", 5));

        var reason = Assert.Single(Check(string.Join('\n', lines)));

        Assert.Equal("quality.duplicate_lines@1", reason.RuleVersion);
        Assert.Equal("completion 36% of its lines repeat an earlier line (at most 30%)", reason.Reason);
    }

    [Fact]
    public void Copy_dominated_by_one_phrase_is_rejected_after_gopher()
    {
        var text = string.Join(' ', Enumerable.Repeat("buy cheap bread now", 12)) + " " + TrainingRecords.Prose(9, 30);

        var reason = Assert.Single(Check(text));

        Assert.Equal("quality.top_ngram@1", reason.RuleVersion);
        Assert.StartsWith("completion its most frequent 2-gram covers", reason.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Repetition_is_not_judged_on_short_copy()
    {
        Assert.Empty(Check("Bread. Bread. Bread. Fresh bread, fresh bread, fresh bread."));
    }

    private List<CurationDecision> Check(string completion)
    {
        var reasons = new List<CurationDecision>();
        _filter.Check("completion", completion, reasons);
        return reasons;
    }
}

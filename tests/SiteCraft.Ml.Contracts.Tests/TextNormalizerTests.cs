using SiteCraft.Ml.Contracts.Core.Curation;

namespace SiteCraft.Ml.Contracts.Tests;

public sealed class TextNormalizerTests
{
    [Fact]
    public void Decomposed_accents_are_composed_to_nfc()
    {
        var (text, nfc, whitespace) = TextNormalizer.Normalize("Cafe\u0301 de la gare");

        Assert.Equal("Café de la gare", text);
        Assert.True(nfc);
        Assert.False(whitespace);
    }

    [Theory]
    [InlineData("line one\r\nline two\rline three", "line one\nline two\nline three")]
    [InlineData("  padded  \n", "padded")]
    [InlineData("trailing   \nspaces\t\n", "trailing\nspaces")]
    [InlineData("one\n\n\n\n\ntwo", "one\n\ntwo")]
    [InlineData("no\u00A0break\u2003em\u3000wide", "no break em wide")]
    [InlineData("zero\u200Bwidth\uFEFF and\u0000 nul\u0007", "zerowidth and nul")]
    [InlineData("soft\u00ADhyphen", "softhyphen")]
    public void Whitespace_is_tidied(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input).Text);

    [Fact]
    public void Indentation_inside_code_and_joiners_inside_emoji_are_kept()
    {
        var html = "<ul>\n    <li>Bread</li>\n\t<li>Cake</li>\n</ul>\n👨\u200D🍳 chef";

        var (text, nfc, whitespace) = TextNormalizer.Normalize(html);

        Assert.Same(html, text);
        Assert.False(nfc || whitespace);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t\r\n \u00A0")]
    public void Whitespace_only_text_becomes_empty(string input) =>
        Assert.Equal("", TextNormalizer.Normalize(input).Text);

    [Fact]
    public void A_lone_surrogate_becomes_a_replacement_character_instead_of_an_exception()
    {
        var (text, nfc, _) = TextNormalizer.Normalize("broken \uD800 text \uD83E\uDD50");

        Assert.Equal("broken \uFFFD text 🥐", text);
        Assert.True(nfc);
    }

    [Fact]
    public void Normalising_twice_changes_nothing_more()
    {
        var once = TextNormalizer.Normalize("  A\u0301\r\n\r\n\r\nb \u2009c  \n").Text;

        var (twice, nfc, whitespace) = TextNormalizer.Normalize(once);

        Assert.Equal(once, twice);
        Assert.False(nfc || whitespace);
    }
}

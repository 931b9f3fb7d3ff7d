using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>What the html assertion accepts as well formed, and the first problem it names otherwise.</summary>
public sealed class HtmlWellFormednessTests
{
    [Theory]
    [InlineData("")]
    [InlineData("Plain copy about fresh bread.")]
    [InlineData("<!doctype html><html><head><meta charset=utf-8><title>a < b</title></head><body></body></html>")]
    [InlineData("<section><h2 class=\"x\">Hi</h2><p>Text<br/>more<hr></p></section>")]
    [InlineData("<input type=checkbox checked disabled><link rel='icon' href=\"/a.png\">")]
    [InlineData("<svg><path d='M0 0'/></svg>")]
    [InlineData("<script>if (a < b && c > d) { x = '</p>'; }</script><style>p > a { }</style>")]
    [InlineData("<!-- <div> in a comment --><P>case</p>")]
    [InlineData("3 < 4 and 5 > 4")]
    public void Well_formed_html_passes(string html) =>
        Assert.Null(HtmlWellFormedness.Problem(html));

    [Theory]
    [InlineData("<div><p>text</div>", "</div> at character 12 closes <p>, opened at character 5")]
    [InlineData("<div>text", "<div> is never closed at character 0")]
    [InlineData("text</p>", "</p> closes nothing (no element is open) at character 4")]
    [InlineData("<a href=\"/x>link</a>", "unterminated quoted attribute value in <a>: the quote opens at character 8")]
    [InlineData("<p class=x", "unterminated tag <p at character 0")]
    [InlineData("<p>a</p", "unterminated end tag </p at character 4")]
    [InlineData("<br></br>", "</br> closes a void element, which takes no end tag at character 4")]
    [InlineData("<!-- open", "unterminated comment at character 0")]
    [InlineData("<p a=b\"c>x</p>", "unexpected '\"' in an unquoted attribute value in <p> at character 6")]
    [InlineData("<p \"x\">x</p>", "unexpected '\"' in tag <p> at character 3")]
    [InlineData("<script>alert(1)", "<script> is never closed at character 0")]
    [InlineData("</ p>", "'</' is not followed by a tag name at character 0")]
    public void The_first_problem_is_named_with_its_offset(string html, string problem) =>
        Assert.Equal(problem, HtmlWellFormedness.Problem(html));
}

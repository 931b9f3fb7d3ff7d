using System.Text.Json;
using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>RFC 6901 resolution, including its escapes and its own examples (§5).</summary>
public sealed class JsonPointerTests
{
    private const string Rfc6901Example =
        """{"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8}""";

    [Theory]
    [InlineData("/foo", "[\"bar\", \"baz\"]")]
    [InlineData("/foo/0", "\"bar\"")]
    [InlineData("/", "0")]
    [InlineData("/a~1b", "1")]
    [InlineData("/c%d", "2")]
    [InlineData("/i\\j", "5")]
    [InlineData("/k\"l", "6")]
    [InlineData("/ ", "7")]
    [InlineData("/m~0n", "8")]
    public void The_rfc_examples_resolve(string path, string rawJson)
    {
        using var document = JsonDocument.Parse(Rfc6901Example);

        Assert.True(JsonPointer.TryResolve(document.RootElement, path, out var value));
        Assert.Equal(rawJson, value.GetRawText());
    }

    [Theory]
    [InlineData("/foo/2")]
    [InlineData("/foo/-")]
    [InlineData("/foo/01")]
    [InlineData("/foo/0/x")]
    [InlineData("/nope")]
    [InlineData("foo")]
    [InlineData("/m~2n")]
    public void A_pointer_that_leads_nowhere_resolves_to_nothing(string path)
    {
        using var document = JsonDocument.Parse(Rfc6901Example);

        Assert.False(JsonPointer.TryResolve(document.RootElement, path, out _));
    }

    [Fact]
    public void Tilde_one_is_unescaped_before_tilde_zero()
    {
        // "~01" is "~1" in the key, not "/".
        Assert.Equal(["~1", "a/b", ""], JsonPointer.Tokens("/~01/a~1b/"));
        Assert.Empty(JsonPointer.Tokens(""));
        Assert.Null(JsonPointer.Problem("/~01"));
        Assert.NotNull(JsonPointer.Problem("/a~"));
    }
}

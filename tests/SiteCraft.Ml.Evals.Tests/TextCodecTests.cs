using CsCheck;
using SiteCraft.Ml.Evals.Core.Reports;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>Escaped text round-trips exactly and holds nothing Postgres or UTF-8 refuses.</summary>
public sealed class TextCodecTests
{
    /// <summary>Strings rich in what the codec handles: NUL, backslashes, escape look-alikes, both kinds of lone surrogate, pairs.</summary>
    public static readonly Gen<string> HostileText = Gen.OneOf(
            Gen.Char,
            Gen.Char['\uD800', '\uDFFF'],
            Gen.Const('\0'),
            Gen.Const('\\'),
            Gen.Const('u'),
            Gen.Const('0'),
            Gen.Char['A', 'F'])
        .Array[0, 40]
        .Select(chars => new string(chars));

    // Lone surrogates survive neither [InlineData] (attribute strings are UTF-8) nor xUnit's discovery-time serialization.
    public static TheoryData<string, string> Escapes => new()
    {
        { "plain text", "plain text" },
        { @"a\b", @"a\\b" },
        { "nul\0here", @"nul\0here" },
        { "lone \uD800 high", @"lone \uD800 high" },
        { "lone \uDC0A low", @"lone \uDC0A low" },
        { "\uDC00\uD800", @"\uDC00\uD800" },
        { "emoji 😀 stays", "emoji 😀 stays" },
        { @"\0 literal", @"\\0 literal" },
    };

    public static TheoryData<string, bool> Storability => new()
    {
        { "plain", false },
        { @"back\slash", false },
        { "emoji 😀", false },
        { "nul\0", true },
        { "high \uD83D alone", true },
        { "\uDE00 low first", true },
        { "pair reversed \uDE00\uD83D", true },
    };

    [Theory]
    [MemberData(nameof(Escapes), DisableDiscoveryEnumeration = true)]
    public void Escaping_writes_the_documented_sequences(string text, string escaped)
    {
        Assert.Equal(escaped, TextCodec.Escape(text));
        Assert.Equal(text, TextCodec.Unescape(escaped));
    }

    [Theory]
    [MemberData(nameof(Storability), DisableDiscoveryEnumeration = true)]
    public void Only_nul_and_lone_surrogates_need_escaping(string text, bool needs) =>
        Assert.Equal(needs, TextCodec.NeedsEscaping(text));

    [Fact]
    public void Any_string_round_trips_and_escapes_to_storable_text() =>
        HostileText.Sample(text =>
        {
            var escaped = TextCodec.Escape(text);
            Assert.False(TextCodec.NeedsEscaping(escaped));
            Assert.Equal(text, TextCodec.Unescape(escaped));
        }, iter: 5_000);

    [Fact]
    public void Arbitrary_unicode_strings_round_trip() =>
        Gen.String.Sample(text => Assert.Equal(text, TextCodec.Unescape(TextCodec.Escape(text))), iter: 5_000);

    [Theory]
    [InlineData(@"trailing \")]
    [InlineData(@"\n is not ours")]
    [InlineData(@"\u12G4")]
    [InlineData(@"\u12")]
    public void Unescaping_refuses_sequences_escape_never_writes(string text) =>
        Assert.Throws<FormatException>(() => TextCodec.Unescape(text));
}

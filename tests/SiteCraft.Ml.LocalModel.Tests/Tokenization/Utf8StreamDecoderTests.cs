using CsCheck;
using SiteCraft.Ml.LocalModel.Tokenization;

namespace SiteCraft.Ml.LocalModel.Tests.Tokenization;

public sealed class Utf8StreamDecoderTests
{
    private static BpeTokenizer Tokenizer => TestTokenizers.Small;

    [Fact]
    public void Streaming_tokens_one_by_one_gives_back_text_with_multi_byte_characters()
    {
        const string text = "Olá 世界 😀👍🏽 naïve <|end|> 𠀀!";
        var decoder = new Utf8StreamDecoder(Tokenizer);

        var streamed = string.Concat(Tokenizer.Encode(text).Select(decoder.Append)) + decoder.Flush();

        Assert.Equal(text, streamed);
    }

    [Fact]
    public void Streaming_any_text_gives_it_back()
    {
        TestTokenizers.Text.Sample(text =>
        {
            var decoder = new Utf8StreamDecoder(Tokenizer);
            var streamed = string.Concat(Tokenizer.Encode(text, allowSpecial: false).Select(decoder.Append)) + decoder.Flush();
            Assert.Equal(text, streamed);
        });
    }

    [Fact]
    public void An_incomplete_character_is_held_back_until_it_completes()
    {
        var bytes = "€"u8.ToArray();
        var decoder = new Utf8StreamDecoder(Tokenizer);

        Assert.Equal("", decoder.Append(6 + bytes[0]));
        Assert.Equal("", decoder.Append(6 + bytes[1]));
        Assert.Equal("€", decoder.Append(6 + bytes[2]));
    }

    [Fact]
    public void Flush_turns_a_dangling_partial_character_into_the_replacement_character()
    {
        var decoder = new Utf8StreamDecoder(Tokenizer);

        Assert.Equal("a", decoder.Append(6 + 'a'));
        Assert.Equal("", decoder.Append(6 + 0xE2));
        Assert.Equal("\uFFFD", decoder.Flush());
    }
}

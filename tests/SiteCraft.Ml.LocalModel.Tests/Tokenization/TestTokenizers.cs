using System.Text;
using CsCheck;
using SiteCraft.Ml.LocalModel.Tokenization;

namespace SiteCraft.Ml.LocalModel.Tests.Tokenization;

/// <summary>A tokenizer trained once on a small fixed corpus, and generators of text to feed it.</summary>
internal static class TestTokenizers
{
    public const int VocabSize = 500;

    private static readonly Lazy<BpeTokenizer> s_small = new(() => BpeTokenizer.Train(Corpus(), VocabSize));

    public static BpeTokenizer Small => s_small.Value;

    public static IEnumerable<string> Corpus()
    {
        string[] lines =
        [
            "The quick brown fox jumps over the lazy dog.",
            "Build a landing page for a bakery in Lisbon with a hero image and opening hours.",
            "{\"title\": \"Bakery\", \"sections\": [{\"kind\": \"hero\", \"text\": \"Fresh bread daily\"}]}",
            "Café crème, naïve façade, jalapeño — and 日本語のテキスト, 中文文本, 한국어 텍스트.",
            "Emoji 😀🎉👍🏽 and symbols ∑ ≤ ≥ € £ ¥ in prices: 12.50 EUR, 3,000 USD.",
            "    indented code();\n\tif (x) { return y; }\r\n",
        ];
        for (var i = 0; i < 40; i++)
        {
            foreach (var line in lines)
            {
                yield return line;
            }

            yield return $"Order {i} of {i * 7} items, reference SC-{i:D4}.";
        }
    }

    /// <summary>
    /// Well-formed UTF-16 text (no lone surrogates): ASCII, JSON punctuation, whitespace and control characters,
    /// accents and combining marks, CJK, emoji, and any code point at all.
    /// </summary>
    public static Gen<string> Text { get; } = Gen.Frequency(
            (6, Gen.Char["abcdefghijklmnopqrstuvwxyz ABCXYZ"].Select(c => c.ToString())),
            (3, Gen.Char["{}[]\":,.'!?-_<>|\\/0123456789"].Select(c => c.ToString())),
            (2, Gen.Char[" \t\r\n\u0000\u0001\u001b\u007f\u00a0\u2028"].Select(c => c.ToString())),
            (2, Gen.OneOf("é", "e\u0301", "ñ", "ü", "\u0308", "\u200d", "ß", "ﬁ")),
            (2, Gen.Int[0x4E00, 0x9FFF].Select(char.ConvertFromUtf32)),
            (2, Gen.OneOf("😀", "👍🏽", "👨‍👩‍👧", "🇵🇹", "𝐀", "𠀀")),
            (2, Gen.Int[0, 0x10FFFF].Where(cp => cp is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32)),
            (1, Gen.OneOf("'s", "'ll", " the", "bakery", "Lisbon", "<|", "|>", "<|end", "end|>")))
        .Array[0, 40]
        .Select(parts => string.Concat(parts));

    /// <summary>Text with special tokens mixed in.</summary>
    public static Gen<string> TextWithSpecials { get; } = Gen.Frequency(
            (3, Text),
            (1, Gen.OneOf(SpecialTokens.All.ToArray())))
        .Array[0, 8]
        .Select(parts => string.Concat(parts));

    public static string Utf8RoundTrip(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
}

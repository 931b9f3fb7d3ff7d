using System.Text;

namespace SiteCraft.Ml.LocalModel.Tokenization;

/// <summary>
/// Turns generated token ids into text as they arrive, holding back the bytes of a character split across
/// tokens until it is complete. One instance per generation stream; not thread-safe.
/// </summary>
public sealed class Utf8StreamDecoder(BpeTokenizer tokenizer)
{
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private char[] _chars = new char[64];

    /// <summary>The text that became complete with token <paramref name="id"/>; may be empty.</summary>
    public string Append(int id) => Decode(tokenizer.TokenBytes(id), flush: false);

    /// <summary>The rest of the text: a dangling partial character becomes U+FFFD. The decoder can then be reused.</summary>
    public string Flush() => Decode([], flush: true);

    private string Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        var count = _decoder.GetCharCount(bytes, flush);
        if (count > _chars.Length)
        {
            _chars = new char[Math.Max(count, _chars.Length * 2)];
        }

        var written = _decoder.GetChars(bytes, _chars, flush);
        return new string(_chars, 0, written);
    }
}

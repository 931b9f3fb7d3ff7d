namespace SiteCraft.Ml.LocalModel.Tokenization;

/// <summary>
/// GPT-2's byte-to-unicode alphabet: every byte gets a printable character, so a token's bytes can be
/// written as a JSON string. Printable Latin-1 bytes map to themselves, the rest to U+0100 upwards in byte order.
/// </summary>
internal static class ByteLevel
{
    private static readonly char[] s_byteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> s_charToByte =
        Enumerable.Range(0, 256).ToDictionary(b => s_byteToChar[b], b => (byte)b);

    public static char CharOf(byte b) => s_byteToChar[b];

    public static bool TryGetByte(char c, out byte b) => s_charToByte.TryGetValue(c, out b);

    public static string ToText(ReadOnlySpan<byte> bytes)
    {
        return string.Create(bytes.Length, bytes.ToArray(), static (chars, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                chars[i] = s_byteToChar[source[i]];
            }
        });
    }

    /// <summary>The bytes a byte-level token text stands for, or null when a character is outside the alphabet.</summary>
    public static byte[]? ToBytes(string text)
    {
        var bytes = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (!s_charToByte.TryGetValue(text[i], out bytes[i]))
            {
                return null;
            }
        }

        return bytes;
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }
}

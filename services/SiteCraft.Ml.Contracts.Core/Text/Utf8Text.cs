using System.Buffers;
using System.Text;

namespace SiteCraft.Ml.Contracts.Core.Text;

/// <summary>Finding where bytes stop being UTF-8, without decoding them into strings.</summary>
internal static class Utf8Text
{
    /// <summary>The offset of the first byte that is not part of valid UTF-8, or -1 when all of it is.</summary>
    public static int FirstInvalidByte(ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return -1;
        }

        var offset = 0;
        while (offset < utf8.Length)
        {
            if (Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }

    /// <summary>1-based line and column of a byte offset, counting columns in characters.</summary>
    public static (int Line, int Column) LineAndColumn(ReadOnlySpan<byte> utf8, int offset)
    {
        var before = utf8[..Math.Min(offset, utf8.Length)];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var column = 1;
        var rest = before[lineStart..];
        while (!rest.IsEmpty)
        {
            Rune.DecodeFromUtf8(rest, out _, out var consumed);
            rest = rest[consumed..];
            column++;
        }

        return (line, column);
    }
}

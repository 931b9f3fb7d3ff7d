using System.Globalization;

namespace SiteCraft.Ml.Contracts.Core.Text;

/// <summary>Checks on raw JSON string bytes that System.Text.Json would otherwise answer with an exception.</summary>
internal static class JsonStrings
{
    /// <summary>
    /// True when a <c>\uXXXX</c> escape encodes half of a surrogate pair without its other
    /// half: valid JSON, but not text, and <c>GetString</c> throws on it.
    /// </summary>
    public static bool HasLoneSurrogate(ReadOnlySpan<byte> raw)
    {
        var i = raw.IndexOf((byte)'\\');
        if (i < 0)
        {
            return false;
        }

        var expectLow = false;
        for (; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\' || i + 1 >= raw.Length)
            {
                if (expectLow)
                {
                    return true;
                }

                continue;
            }

            if (raw[i + 1] != (byte)'u' || i + 6 > raw.Length
                || !int.TryParse(raw.Slice(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
            {
                if (expectLow)
                {
                    return true;
                }

                i++;
                continue;
            }

            var isHigh = unit is >= 0xD800 and <= 0xDBFF;
            var isLow = unit is >= 0xDC00 and <= 0xDFFF;
            if (expectLow != isLow || (expectLow && isHigh))
            {
                return true;
            }

            expectLow = isHigh;
            i += 5;
        }

        return expectLow;
    }
}

using System.Runtime.InteropServices;
using System.Text;

namespace SiteCraft.Ml.Contracts.Core.Text;

/// <summary>The first characters of a value, for messages: never more than <see cref="MaxChars"/>, never a whole 10 MB field.</summary>
internal static class Excerpt
{
    public const int MaxChars = 80;

    /// <summary>The JSON value as it was sent (escapes kept, so it stays on one line), cut to 80 characters.</summary>
    public static string Of(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (value.ValueKind == JsonValueKind.String && raw.Length >= 2)
        {
            raw = raw[1..^1];
        }

        // 4 bytes per character at most, so this prefix always holds 80 characters when the value has them.
        var prefix = raw[..Math.Min(raw.Length, (MaxChars + 1) * 4)];
        return Of(Encoding.UTF8.GetString(prefix), raw.Length > prefix.Length);
    }

    public static string Of(string text, bool longer = false)
    {
        if (text.Length <= MaxChars && !longer)
        {
            return text;
        }

        var cut = Math.Min(text.Length, MaxChars - 1);
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }
}

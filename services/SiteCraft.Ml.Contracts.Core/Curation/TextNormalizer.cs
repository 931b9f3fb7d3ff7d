using System.Globalization;
using System.Text;

namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>
/// Unicode NFC and whitespace normalisation. Whitespace is tidied, not collapsed: line endings
/// become \n, Unicode spaces become ' ', invisible characters go, trailing spaces and runs of
/// blank lines are trimmed; indentation inside a line is kept because HTML, CSS and code need it.
/// </summary>
public static class TextNormalizer
{
    public const string NfcRule = "normalize.unicode_nfc";
    public const string WhitespaceRule = "normalize.whitespace";
    public const string Version = "1";

    /// <summary>The normalised text and which of the two steps changed it.</summary>
    public static (string Text, bool NfcChanged, bool WhitespaceChanged) Normalize(string text)
    {
        // NFC throws on a lone surrogate; a record built in code (not read from bytes) can hold one.
        var valid = ReplaceLoneSurrogates(text);
        var nfc = valid.IsNormalized(NormalizationForm.FormC) ? valid : valid.Normalize(NormalizationForm.FormC);
        var tidy = Whitespace(nfc);
        return (tidy, !ReferenceEquals(nfc, text), !ReferenceEquals(tidy, nfc));
    }

    private static string ReplaceLoneSurrogates(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return text;
        }

        char[]? copy = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                copy ??= text.ToCharArray();
                copy[i] = '\uFFFD';
            }
        }

        return copy is null ? text : new string(copy);
    }

    /// <summary>Whitespace normalisation alone; returns the same instance when nothing changes.</summary>
    public static string Whitespace(string text)
    {
        if (!NeedsWork(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var lineStart = 0;
        var blankLines = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    continue;
                }

                c = '\n';
            }

            if (c == '\n')
            {
                TrimEnd(builder, lineStart);
                if (builder.Length == lineStart)
                {
                    // At most one blank line in a row, and none at the start.
                    if (++blankLines > 1 || builder.Length == 0)
                    {
                        continue;
                    }
                }
                else
                {
                    blankLines = 0;
                }

                builder.Append('\n');
                lineStart = builder.Length;
                continue;
            }

            if (IsInvisible(c))
            {
                continue;
            }

            if (c > 0x7f && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator)
            {
                c = ' ';
            }

            if (builder.Length == 0 && c is ' ' or '\t')
            {
                continue;
            }

            builder.Append(c);
        }

        while (builder.Length > 0 && char.IsWhiteSpace(builder[^1]))
        {
            builder.Length--;
        }

        var result = builder.ToString();
        return result == text ? text : result;
    }

    private static void TrimEnd(StringBuilder builder, int lineStart)
    {
        while (builder.Length > lineStart && builder[^1] is ' ' or '\t')
        {
            builder.Length--;
        }
    }

    private static bool NeedsWork(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return true;
        }

        var previousNewlines = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                if (i > 0 && text[i - 1] is ' ' or '\t')
                {
                    return true;
                }

                if (++previousNewlines > 2)
                {
                    return true;
                }

                continue;
            }

            previousNewlines = 0;
            if (c < 0x20 ? c != '\t' : c > 0x7e && (IsInvisible(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator))
            {
                return true;
            }
        }

        return false;
    }

    // Zero-width space, word joiner, BOM, soft hyphen and control characters carry nothing a
    // reader sees; ZWJ and ZWNJ stay because emoji sequences and some scripts need them.
    private static bool IsInvisible(char c) =>
        c is '\u200B' or '\u2060' or '\uFEFF' or '\u00AD' || (char.IsControl(c) && c is not ('\n' or '\t'));
}

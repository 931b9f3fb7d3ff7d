using System.Globalization;
using System.Text;

namespace SiteCraft.Ml.Evals.Core.Reports;

/// <summary>
/// Exact, reversible text for stores that cannot hold every .NET string: Postgres text and jsonb
/// refuse U+0000, and UTF-8 (so Postgres, files, and System.Text.Json, which silently writes
/// U+FFFD instead) cannot carry a lone UTF-16 surrogate. Escaped text has backslash as \\, NUL as
/// \0 and a lone surrogate as \uXXXX (upper-case hex); nothing else changes.
/// </summary>
/// <remarks>
/// The rule every writer follows: a sample's Output and Error are escaped together if either
/// needs it, and ai_eval_samples.escaped (or the report's "escaped") says so. Text that needs no
/// escaping is stored as is, so the common case stays readable and searchable.
/// </remarks>
public static class TextCodec
{
    /// <summary>The text holds a NUL or a lone surrogate, so it cannot be stored as is.</summary>
    public static bool NeedsEscaping(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return true;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Escapes backslashes, NULs and lone surrogates; the result is valid UTF-16 without NUL.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                escaped.Append(@"\\");
            }
            else if (c == '\0')
            {
                escaped.Append(@"\0");
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                escaped.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>
    /// A sample's output and error as stored: both escaped when either needs it (then
    /// <c>Escaped</c> is true), both as they are otherwise.
    /// </summary>
    public static (string? Output, string? Error, bool Escaped) EscapeSample(string? output, string? error)
    {
        var escaped = (output is not null && NeedsEscaping(output)) || (error is not null && NeedsEscaping(error));
        return escaped
            ? (output is null ? null : Escape(output), error is null ? null : Escape(error), true)
            : (output, error, false);
    }

    /// <summary>Reverses <see cref="EscapeSample"/>.</summary>
    public static (string? Output, string? Error) UnescapeSample(string? output, string? error, bool escaped) =>
        escaped
            ? (output is null ? null : Unescape(output), error is null ? null : Unescape(error))
            : (output, error);

    /// <summary>Reverses <see cref="Escape"/>.</summary>
    /// <exception cref="FormatException">The text holds a backslash sequence Escape never writes.</exception>
    public static string Unescape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var backslash = text.IndexOf('\\', StringComparison.Ordinal);
        if (backslash < 0)
        {
            return text;
        }

        var plain = new StringBuilder(text.Length);
        plain.Append(text, 0, backslash);
        for (var i = backslash; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                plain.Append(c);
                continue;
            }

            if (i + 1 == text.Length)
            {
                throw new FormatException($"a trailing backslash at character {i} is not an escape TextCodec writes");
            }

            var next = text[i + 1];
            switch (next)
            {
                case '\\':
                    plain.Append('\\');
                    i++;
                    break;
                case '0':
                    plain.Append('\0');
                    i++;
                    break;
                case 'u' when i + 5 < text.Length && ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit):
                    plain.Append((char)unit);
                    i += 5;
                    break;
                default:
                    throw new FormatException($"'\\{next}' at character {i} is not an escape TextCodec writes");
            }
        }

        return plain.ToString();
    }
}

using System.Collections.Frozen;
using System.Globalization;

namespace SiteCraft.Ml.Evals.Core.Scoring;

/// <summary>
/// A strict, hand-written check that generated HTML is well formed: every non-void element is
/// closed in the right order, tags and quoted attribute values are terminated. It is a tokenizer,
/// not an HTML5 parser: it does not repair (no implied end tags), so output a browser would
/// silently fix still fails. Text alone is well formed.
/// </summary>
/// <remarks>
/// Accepted: comments, <c>&lt;!doctype&gt;</c> and other <c>&lt;!…&gt;</c> declarations, bare or
/// quoted attribute values, <c>&lt;x/&gt;</c> as a self-closed element (SVG and XHTML write it),
/// a '&lt;' that does not start a tag ("1 &lt; 2"), and the raw text of script, style, textarea
/// and title up to their end tag. Tag names compare without case.
/// </remarks>
public static class HtmlWellFormedness
{
    private static readonly FrozenSet<string> s_void = FrozenSet.Create(
        StringComparer.Ordinal, "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr");

    private static readonly FrozenSet<string> s_rawText = FrozenSet.Create(StringComparer.Ordinal, "script", "style", "textarea", "title");

    /// <summary>The first problem and its character offset; null when the text is well formed.</summary>
    public static string? Problem(string text)
    {
        var open = new Stack<(string Name, int At)>();
        var i = 0;
        while (i < text.Length)
        {
            var lt = text.IndexOf('<', i);
            if (lt < 0 || lt + 1 >= text.Length)
            {
                break;
            }

            var next = text[lt + 1];
            string? problem;
            if (next == '!')
            {
                (i, problem) = Declaration(text, lt);
            }
            else if (next == '/')
            {
                (i, problem) = EndTag(text, lt, open);
            }
            else if (char.IsAsciiLetter(next))
            {
                (i, problem) = StartTag(text, lt, open);
            }
            else
            {
                i = lt + 1;
                problem = null;
            }

            if (problem is not null)
            {
                return problem;
            }
        }

        return open.TryPeek(out var unclosed) ? At($"<{unclosed.Name}> is never closed", unclosed.At) : null;
    }

    private static (int Next, string? Problem) Declaration(string text, int lt)
    {
        if (string.CompareOrdinal(text, lt, "<!--", 0, 4) == 0)
        {
            var end = text.IndexOf("-->", lt + 4, StringComparison.Ordinal);
            return end < 0 ? (text.Length, At("unterminated comment", lt)) : (end + 3, null);
        }

        var close = text.IndexOf('>', lt + 2);
        return close < 0 ? (text.Length, At("unterminated <! declaration", lt)) : (close + 1, null);
    }

    private static (int Next, string? Problem) EndTag(string text, int lt, Stack<(string Name, int At)> open)
    {
        var i = lt + 2;
        var name = Name(text, ref i);
        if (name.Length == 0)
        {
            return (i, At("'</' is not followed by a tag name", lt));
        }

        i = SkipSpace(text, i);
        if (i >= text.Length)
        {
            return (i, At($"unterminated end tag </{name}", lt));
        }

        if (text[i] != '>')
        {
            return (i, At($"unexpected '{Printable(text[i])}' in end tag </{name}", i));
        }

        if (s_void.Contains(name))
        {
            return (i, At($"</{name}> closes a void element, which takes no end tag", lt));
        }

        if (!open.TryPeek(out var top))
        {
            return (i, At($"</{name}> closes nothing (no element is open)", lt));
        }

        if (top.Name != name)
        {
            return (i, string.Create(CultureInfo.InvariantCulture, $"</{name}> at character {lt} closes <{top.Name}>, opened at character {top.At}"));
        }

        open.Pop();
        return (i + 1, null);
    }

    private static (int Next, string? Problem) StartTag(string text, int lt, Stack<(string Name, int At)> open)
    {
        var i = lt + 1;
        var name = Name(text, ref i);
        while (true)
        {
            i = SkipSpace(text, i);
            if (i >= text.Length)
            {
                return (i, At($"unterminated tag <{name}", lt));
            }

            var c = text[i];
            if (c == '>')
            {
                i++;
                break;
            }

            if (c == '/' && i + 1 < text.Length && text[i + 1] == '>')
            {
                return (i + 2, null);
            }

            if (c is '"' or '\'' or '<' or '=' or '/')
            {
                return (i, At($"unexpected '{Printable(c)}' in tag <{name}>", i));
            }

            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('>' or '/' or '=' or '"' or '\'' or '<'))
            {
                i++;
            }

            i = SkipSpace(text, i);
            if (i < text.Length && text[i] == '=')
            {
                var problem = AttributeValue(text, SkipSpace(text, i + 1), name, out i);
                if (problem is not null)
                {
                    return (i, problem);
                }
            }
        }

        if (s_void.Contains(name))
        {
            return (i, null);
        }

        if (s_rawText.Contains(name))
        {
            var end = text.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
            return end < 0 ? (text.Length, At($"<{name}> is never closed", lt)) : (end, Push(open, name, lt));
        }

        return (i, Push(open, name, lt));
    }

    private static string? Push(Stack<(string Name, int At)> open, string name, int at)
    {
        open.Push((name, at));
        return null;
    }

    private static string? AttributeValue(string text, int i, string tag, out int next)
    {
        next = i;
        if (i >= text.Length)
        {
            return null;
        }

        var quote = text[i];
        if (quote is '"' or '\'')
        {
            var close = text.IndexOf(quote, i + 1);
            next = close < 0 ? text.Length : close + 1;
            return close < 0 ? At($"unterminated quoted attribute value in <{tag}>: the quote opens", i) : null;
        }

        while (next < text.Length && !char.IsWhiteSpace(text[next]) && text[next] != '>')
        {
            if (text[next] is '"' or '\'' or '<' or '=' or '`')
            {
                return At($"unexpected '{Printable(text[next])}' in an unquoted attribute value in <{tag}>", next);
            }

            next++;
        }

        return next == i ? At($"'=' without a value in <{tag}>", i) : null;
    }

    private static string Name(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '-' or ':' or '_' or '.'))
        {
            i++;
        }

        return text[start..i].ToLowerInvariant();
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static string Printable(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString();

    private static string At(string problem, int offset) => string.Create(CultureInfo.InvariantCulture, $"{problem} at character {offset}");
}

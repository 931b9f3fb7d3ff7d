using System.Text.RegularExpressions;

namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>
/// The parts of a text that are markup rather than prose: HTML tags with their attribute
/// values, &lt;style&gt; and &lt;script&gt; bodies, and CSS rule blocks. PII scanning skips them,
/// because site content is full of numbers that only look like cards or phones there
/// (<c>#1234567890123</c>, <c>data-id="4111111111111111"</c>) and of intended contact links.
/// </summary>
public static partial class MarkupRegions
{
    /// <summary>Sorted, non-overlapping [start, end) ranges of markup in <paramref name="text"/>.</summary>
    public static List<(int Start, int End)> Find(string text)
    {
        var regions = new List<(int Start, int End)>();
        if (text.Contains('<', StringComparison.Ordinal))
        {
            Tags(text, regions);
        }

        if (text.Contains('{', StringComparison.Ordinal))
        {
            CssBlocks(text, regions);
        }

        return Merge(regions);
    }

    /// <summary>True when [start, end) touches any region.</summary>
    public static bool Overlaps(List<(int Start, int End)> regions, int start, int end)
    {
        // Regions are few and sorted; a binary search for the first region ending after start.
        int lo = 0, hi = regions.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (regions[mid].End <= start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo < regions.Count && regions[lo].Start < end;
    }

    private static void Tags(string text, List<(int Start, int End)> regions)
    {
        var i = 0;
        while ((i = text.IndexOf('<', i)) >= 0 && i + 1 < text.Length)
        {
            var next = text[i + 1];
            if (!(char.IsAsciiLetter(next) || next == '/'))
            {
                i++;
                continue;
            }

            var end = TagEnd(text, i + 1);
            if (end < 0)
            {
                // "a < b" in prose: no tag, and nothing after it can close one either.
                return;
            }

            regions.Add((i, end + 1));
            var name = TagName(text, i + 1);
            if (name.Equals("style", StringComparison.OrdinalIgnoreCase) || name.Equals("script", StringComparison.OrdinalIgnoreCase))
            {
                var close = text.IndexOf("</" + name.ToString(), end + 1, StringComparison.OrdinalIgnoreCase);
                var bodyEnd = close < 0 ? text.Length : close;
                regions.Add((end + 1, bodyEnd));
                i = bodyEnd;
                continue;
            }

            i = end + 1;
        }
    }

    /// <summary>The index of the '&gt;' that ends a tag, skipping quoted attribute values; -1 when none does.</summary>
    private static int TagEnd(string text, int from)
    {
        var quote = '\0';
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i;
            }
            else if (c == '<')
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>
    /// Each innermost <c>{ … }</c> whose body is CSS declarations, with the selector before it.
    /// Property names are bare, which JSON's quoted keys are not; a body with '@' is prose in braces.
    /// </summary>
    private static void CssBlocks(string text, List<(int Start, int End)> regions)
    {
        var open = text.IndexOf('{');
        while (open >= 0)
        {
            var close = text.IndexOfAny(['{', '}'], open + 1);
            if (close < 0)
            {
                return;
            }

            if (text[close] == '{')
            {
                open = close;
                continue;
            }

            if (Declarations().IsMatch(text.AsSpan(open + 1, close - open - 1)))
            {
                var selector = open;
                var limit = Math.Max(0, open - 200);
                while (selector > limit && text[selector - 1] is not ('}' or ';' or '{' or '\n' or '>' or '"' or '@'))
                {
                    selector--;
                }

                regions.Add((selector, close + 1));
            }

            open = text.IndexOf('{', close + 1);
        }
    }

    private static ReadOnlySpan<char> TagName(string text, int from)
    {
        var start = from;
        var end = start;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '-'))
        {
            end++;
        }

        return text.AsSpan(start, end - start);
    }

    private static List<(int Start, int End)> Merge(List<(int Start, int End)> regions)
    {
        if (regions.Count < 2)
        {
            return regions;
        }

        regions.Sort();
        var merged = new List<(int Start, int End)>(regions.Count) { regions[0] };
        for (var i = 1; i < regions.Count; i++)
        {
            var last = merged[^1];
            if (regions[i].Start <= last.End)
            {
                merged[^1] = (last.Start, Math.Max(last.End, regions[i].End));
            }
            else
            {
                merged.Add(regions[i]);
            }
        }

        return merged;
    }

    [GeneratedRegex(@"^(?:\s*-{0,2}[A-Za-z][A-Za-z0-9-]*\s*:[^;{}@]*;)*\s*(?:-{0,2}[A-Za-z][A-Za-z0-9-]*\s*:[^;{}@]*)?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Declarations();
}

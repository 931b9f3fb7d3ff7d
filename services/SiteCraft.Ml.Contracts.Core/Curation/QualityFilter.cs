using System.Globalization;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>
/// Quality heuristics for site content: length bounds, Gopher's repetition rules (Rae et al.
/// 2021: duplicate line fraction, duplicate line character fraction, top 2–4-gram character
/// fraction) computed on the visible prose, and placeholder text such as lorem ipsum. Unlike
/// C4's filters it never drops a record for containing '{' or markup: JSON, HTML and CSS are
/// what the product generates. Not thread-safe (it reuses its counting tables).
/// </summary>
public sealed class QualityFilter(QualityHeuristics settings)
{
    public const string Version = "1";
    public const string LengthRule = "quality.length";
    public const string DuplicateLinesRule = "quality.duplicate_lines";
    public const string TopNgramRule = "quality.top_ngram";
    public const string PlaceholderRule = "quality.placeholder";

    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, int> _ngrams = [];

    /// <summary>Adds a <see cref="CurationAction.Rejected"/> decision to <paramref name="reasons"/> for each heuristic the text fails.</summary>
    public void Check(string field, string text, List<CurationDecision> reasons)
    {
        var length = text.Length;
        if (length < settings.MinChars)
        {
            reasons.Add(Reject(LengthRule, field, length == 0
                ? "is empty (or only whitespace) after normalisation"
                : $"has {length} characters, fewer than the {settings.MinChars} required"));
            return;
        }

        if (length > settings.MaxChars)
        {
            reasons.Add(Reject(LengthRule, field, $"has {length:N0} characters, more than the {settings.MaxChars:N0} allowed"));
        }

        foreach (var placeholder in settings.Placeholders)
        {
            var match = placeholder.Pattern.Match(text);
            if (match.Success)
            {
                reasons.Add(Reject(PlaceholderRule, field, $"contains placeholder text ({placeholder.Name})", match.Value.Length > 80 ? match.Value[..80] : match.Value));
            }
        }

        var prose = VisibleText.Extract(text);
        var words = Words(prose);
        if (words.Count < settings.MinWordsForRepetition)
        {
            return;
        }

        DuplicateLines(field, prose, reasons);
        TopNgrams(field, words, reasons);
    }

    private void DuplicateLines(string field, string prose, List<CurationDecision> reasons)
    {
        _lines.Clear();
        int lines = 0, duplicateLines = 0, chars = 0, duplicateChars = 0;
        foreach (var range in prose.AsSpan().Split('\n'))
        {
            var line = prose.AsSpan(range).Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            lines++;
            chars += line.Length;
            var lookup = _lines.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(line, out var seen))
            {
                duplicateLines++;
                duplicateChars += line.Length;
                lookup[line] = seen + 1;
            }
            else
            {
                lookup[line] = 1;
            }
        }

        if (lines == 0)
        {
            return;
        }

        var lineFraction = (double)duplicateLines / lines;
        if (lineFraction > settings.MaxDuplicateLineFraction)
        {
            reasons.Add(Reject(DuplicateLinesRule, field, $"{Percent(lineFraction)} of its lines repeat an earlier line (at most {Percent(settings.MaxDuplicateLineFraction)})"));
        }
        else if ((double)duplicateChars / chars > settings.MaxDuplicateLineCharFraction)
        {
            reasons.Add(Reject(DuplicateLinesRule, field, $"{Percent((double)duplicateChars / chars)} of its characters are in repeated lines (at most {Percent(settings.MaxDuplicateLineCharFraction)})"));
        }
    }

    private void TopNgrams(string field, List<(ulong Hash, int Length)> words, List<CurationDecision> reasons)
    {
        var totalChars = 0;
        foreach (var word in words)
        {
            totalChars += word.Length;
        }

        foreach (var (n, limit) in settings.MaxTopNgramCharFraction.OrderBy(p => p.Key))
        {
            if (words.Count < n)
            {
                continue;
            }

            _ngrams.Clear();
            var bestCount = 0;
            var bestChars = 0;
            for (var start = 0; start + n <= words.Count; start++)
            {
                ulong key = 0;
                var chars = 0;
                for (var j = 0; j < n; j++)
                {
                    key = (key * 0x9E3779B97F4A7C15UL) ^ words[start + j].Hash;
                    chars += words[start + j].Length;
                }

                var count = _ngrams.TryGetValue(key, out var c) ? c + 1 : 1;
                _ngrams[key] = count;
                if (count * chars > bestCount * bestChars)
                {
                    bestCount = count;
                    bestChars = chars;
                }
            }

            // An n-gram seen once is not repetition; Gopher's documents are long enough that this never matters.
            var fraction = bestCount > 1 ? (double)bestCount * bestChars / totalChars : 0;
            if (fraction > limit)
            {
                reasons.Add(Reject(TopNgramRule, field, $"its most frequent {n}-gram covers {Percent(fraction)} of its characters (at most {Percent(limit)})"));
                return;
            }
        }
    }

    private static List<(ulong Hash, int Length)> Words(string prose)
    {
        var words = new List<(ulong, int)>(prose.Length / 5 + 1);
        var hash = 14695981039346656037UL;
        var length = 0;
        foreach (var c in prose)
        {
            if (char.IsLetterOrDigit(c))
            {
                hash = (hash ^ char.ToLowerInvariant(c)) * 1099511628211UL;
                length++;
            }
            else if (length > 0)
            {
                words.Add((hash, length));
                hash = 14695981039346656037UL;
                length = 0;
            }
        }

        if (length > 0)
        {
            words.Add((hash, length));
        }

        return words;
    }

    private static CurationDecision Reject(string rule, string field, string reason, string? excerpt = null) =>
        new(rule, Version, field, CurationAction.Rejected, $"{field} {reason}", excerpt);

    private static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}

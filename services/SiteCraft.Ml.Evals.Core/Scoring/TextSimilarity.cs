namespace SiteCraft.Ml.Evals.Core.Scoring;

/// <summary>Reference-based similarity on lower-cased word tokens (letters and digits), in [0, 1].</summary>
public static class TextSimilarity
{
    /// <summary>Words: maximal runs of letters or digits, lower-cased.</summary>
    public static IReadOnlyList<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                tokens.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return tokens;
    }

    /// <summary>SQuAD-style token F1: the harmonic mean of precision and recall of the bag of words.</summary>
    public static double TokenF1(string candidate, string reference)
    {
        var c = Tokens(candidate);
        var r = Tokens(reference);
        if (c.Count == 0 || r.Count == 0)
        {
            return c.Count == r.Count ? 1 : 0;
        }

        var counts = r.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var common = 0;
        foreach (var token in c)
        {
            if (counts.TryGetValue(token, out var left) && left > 0)
            {
                counts[token] = left - 1;
                common++;
            }
        }

        if (common == 0)
        {
            return 0;
        }

        var precision = (double)common / c.Count;
        var recall = (double)common / r.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>ROUGE-L F1: from the longest common subsequence of the two word sequences.</summary>
    public static double RougeL(string candidate, string reference)
    {
        var c = Tokens(candidate);
        var r = Tokens(reference);
        if (c.Count == 0 || r.Count == 0)
        {
            return c.Count == r.Count ? 1 : 0;
        }

        var previous = new int[r.Count + 1];
        var current = new int[r.Count + 1];
        for (var i = 1; i <= c.Count; i++)
        {
            for (var j = 1; j <= r.Count; j++)
            {
                current[j] = c[i - 1] == r[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        var lcs = previous[r.Count];
        if (lcs == 0)
        {
            return 0;
        }

        var precision = (double)lcs / c.Count;
        var recall = (double)lcs / r.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>
    /// Sentence BLEU-4 against one reference: the geometric mean of clipped 1- to 4-gram
    /// precisions times the brevity penalty exp(1 − r/c) when the candidate is shorter.
    /// </summary>
    /// <remarks>
    /// Smoothed as Lin &amp; Och 2004 (Chen &amp; Cherry 2014, "smoothing 2"): one is added to the
    /// matches and the total of every n-gram order n ≥ 2, so one missing 4-gram in a short
    /// output does not zero the score; unigram precision is not smoothed, so an output sharing no
    /// word with the reference scores 0.
    /// </remarks>
    public static double Bleu(string candidate, string reference)
    {
        const int maxOrder = 4;
        var c = Tokens(candidate);
        var r = Tokens(reference);
        if (c.Count == 0 || r.Count == 0)
        {
            return c.Count == r.Count ? 1 : 0;
        }

        var logSum = 0.0;
        for (var n = 1; n <= maxOrder; n++)
        {
            var referenceCounts = NGramCounts(r, n);
            var total = Math.Max(c.Count - n + 1, 0);
            var matches = 0;
            foreach (var (gram, count) in NGramCounts(c, n))
            {
                matches += Math.Min(count, referenceCounts.GetValueOrDefault(gram));
            }

            var precision = n == 1 ? (double)matches / total : (matches + 1.0) / (total + 1.0);
            if (precision == 0)
            {
                return 0;
            }

            logSum += Math.Log(precision) / maxOrder;
        }

        var brevity = c.Count >= r.Count ? 1 : Math.Exp(1 - ((double)r.Count / c.Count));
        return Math.Clamp(brevity * Math.Exp(logSum), 0, 1);
    }

    private static Dictionary<string, int> NGramCounts(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Count; i++)
        {
            // Tokens are letters and digits only, so a space cannot make two n-grams collide.
            var gram = string.Join(' ', tokens.Skip(i).Take(n));
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }

        return counts;
    }
}

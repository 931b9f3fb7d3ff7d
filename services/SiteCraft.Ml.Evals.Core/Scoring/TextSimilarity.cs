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
    /// <remarks>
    /// Words are compared as ids: each text is lower-cased once and its words are looked up as
    /// spans, so scoring a page allocates a few arrays rather than two strings per word.
    /// </remarks>
    public static double RougeL(string candidate, string reference)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        var r = WordIds(reference.ToLowerInvariant(), lookup, add: true);
        var c = WordIds(candidate.ToLowerInvariant(), lookup, add: false);
        if (c.Count == 0 || r.Count == 0)
        {
            return c.Count == r.Count ? 1 : 0;
        }

        var lcs = LongestCommonSubsequence(c, r, ids.Count);
        if (lcs == 0)
        {
            return 0;
        }

        var precision = (double)lcs / c.Count;
        var recall = (double)lcs / r.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>The LCS length of two word sequences (bit-parallel; see the id overload).</summary>
    public static int LongestCommonSubsequence(IReadOnlyList<string> candidate, IReadOnlyList<string> reference)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var r = reference.Select(w => ids.TryGetValue(w, out var id) ? id : ids[w] = ids.Count).ToList();
        var c = candidate.Select(w => ids.GetValueOrDefault(w, -1)).ToList();
        return LongestCommonSubsequence(c, r, ids.Count);
    }

    /// <summary>Word ids of a lower-cased text (words as in <see cref="Tokens"/>); a word the reference lacks is −1.</summary>
    private static List<int> WordIds(string lowered, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup, bool add)
    {
        var result = new List<int>();
        var start = -1;
        for (var i = 0; i <= lowered.Length; i++)
        {
            var inWord = i < lowered.Length && char.IsLetterOrDigit(lowered[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = lowered.AsSpan(start, i - start);
                if (!lookup.TryGetValue(word, out var id))
                {
                    id = add ? lookup.Dictionary.Count : -1;
                    if (add)
                    {
                        lookup[word] = id;
                    }
                }

                result.Add(id);
                start = -1;
            }
        }

        return result;
    }

    /// <summary>
    /// The length of the longest common subsequence of two id sequences, bit-parallel (Hyyrö
    /// 2004): one bit per reference word, so a page of 130 words costs three 64-bit words per
    /// candidate word instead of 130 comparisons. Ids are 0 to <paramref name="distinct"/> − 1 in
    /// the reference; a candidate id of −1 matches nothing.
    /// </summary>
    private static int LongestCommonSubsequence(List<int> candidate, List<int> reference, int distinct)
    {
        var m = reference.Count;
        var words = (m + 63) / 64;
        // Row k: the reference positions holding id k.
        var matches = new ulong[distinct * words];
        for (var j = 0; j < m; j++)
        {
            matches[(reference[j] * words) + (j / 64)] |= 1UL << (j % 64);
        }

        // V: a zero bit marks a reference position that ends a common subsequence one longer.
        Span<ulong> v = words <= 64 ? stackalloc ulong[words] : new ulong[words];
        v.Fill(ulong.MaxValue);
        foreach (var id in candidate)
        {
            if (id < 0)
            {
                continue;
            }

            var mask = matches.AsSpan(id * words, words);
            ulong carry = 0;
            for (var w = 0; w < words; w++)
            {
                var u = v[w] & mask[w];
                var sum = v[w] + u;
                var carryOut = sum < u ? 1UL : 0UL;
                var total = sum + carry;
                carryOut |= total < sum ? 1UL : 0UL;
                v[w] = total | (v[w] & ~u);
                carry = carryOut;
            }
        }

        var zeros = 0;
        for (var w = 0; w < words; w++)
        {
            var bits = Math.Min(64, m - (w * 64));
            var valid = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
            zeros += bits - System.Numerics.BitOperations.PopCount(v[w] & valid);
        }

        return zeros;
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

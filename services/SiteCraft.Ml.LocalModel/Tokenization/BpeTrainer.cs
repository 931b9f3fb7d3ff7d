using System.Runtime.InteropServices;
using System.Text;

namespace SiteCraft.Ml.LocalModel.Tokenization;

/// <summary>
/// Classic BPE training over unique pre-tokenized words. Pair counts are kept up to date incrementally, with an
/// index from each pair to the words containing it, so a merge costs the words it touches rather than a recount.
/// </summary>
internal static class BpeTrainer
{
    public const int BaseVocabSize = 6 + 256;

    public static BpeTokenizer Train(IEnumerable<string> texts, int vocabSize, IProgress<double>? progress)
    {
        var (words, frequencies) = CountWords(texts);

        var tokenBytes = new List<byte[]>(vocabSize);
        tokenBytes.AddRange(SpecialTokens.All.Select(Encoding.UTF8.GetBytes));
        for (var b = 0; b < 256; b++)
        {
            tokenBytes.Add([(byte)b]);
        }

        var known = new HashSet<string>(tokenBytes.Skip(SpecialTokens.All.Count).Select(t => ByteLevel.ToText(t)), StringComparer.Ordinal);
        var pairCounts = new Dictionary<long, long>();
        var pairWords = new Dictionary<long, List<int>>();
        for (var w = 0; w < words.Length; w++)
        {
            AddPairs(words[w], w, frequencies[w], newToken: -1, pairCounts, pairWords, changed: null);
        }

        // Highest count first; ties go to the lowest (left id, right id), so training is deterministic.
        var queue = new PriorityQueue<long, (long NegativeCount, long Pair)>(pairCounts.Count);
        foreach (var (pair, count) in pairCounts)
        {
            queue.Enqueue(pair, (-count, pair));
        }

        var merges = new List<BpeMerge>(vocabSize - BaseVocabSize);
        var rejected = new HashSet<long>();
        var lastVisit = new int[words.Length];
        Array.Fill(lastVisit, -1);
        var changed = new HashSet<long>();
        var mergesWanted = vocabSize - BaseVocabSize;
        var lastReported = -1;

        while (tokenBytes.Count < vocabSize && queue.TryDequeue(out var pair, out var priority))
        {
            var count = pairCounts.GetValueOrDefault(pair);
            if (count != -priority.NegativeCount)
            {
                // Counts of existing pairs only fall, so a stale entry is re-queued with its true count.
                if (count > 0 && !rejected.Contains(pair))
                {
                    queue.Enqueue(pair, (-count, pair));
                }

                continue;
            }

            if (count < 2)
            {
                break;
            }

            var left = (int)(pair >> 32);
            var right = (int)(uint)pair;
            byte[] merged = [.. tokenBytes[left], .. tokenBytes[right]];

            // Another split already produced these bytes ("a"+"bc" after "ab"+"c"); a second token with the same
            // text could not be written to the vocabulary, so this pair is never merged.
            if (!known.Add(ByteLevel.ToText(merged)))
            {
                rejected.Add(pair);
                continue;
            }

            var newToken = tokenBytes.Count;
            tokenBytes.Add(merged);
            merges.Add(new BpeMerge(left, right, newToken));

            pairWords.Remove(pair, out var containing);
            changed.Clear();
            foreach (var w in containing ?? [])
            {
                if (lastVisit[w] == newToken)
                {
                    continue;
                }

                lastVisit[w] = newToken;
                var symbols = words[w];
                var replaced = Merge(symbols, left, right, newToken);
                if (replaced is null)
                {
                    continue;
                }

                RemovePairs(symbols, frequencies[w], pairCounts);
                AddPairs(replaced, w, frequencies[w], newToken, pairCounts, pairWords, changed);
                words[w] = replaced;
            }

            foreach (var newPair in changed)
            {
                queue.Enqueue(newPair, (-pairCounts[newPair], newPair));
            }

            var percent = mergesWanted == 0 ? 100 : merges.Count * 100 / mergesWanted;
            if (progress is not null && percent != lastReported)
            {
                lastReported = percent;
                progress.Report(percent / 100.0);
            }
        }

        progress?.Report(1.0);
        return new BpeTokenizer([.. tokenBytes], merges);
    }

    private static (int[][] Words, long[] Frequencies) CountWords(IEnumerable<string> texts)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        var regex = PreTokenizer.Words();
        foreach (var text in texts)
        {
            if (text is null)
            {
                throw new ArgumentException("Training texts must not contain null.", nameof(texts));
            }

            foreach (var (start, length, specialId) in SpecialTokens.Split(text))
            {
                if (specialId >= 0)
                {
                    continue;
                }

                var segment = text.AsSpan(start, length);
                foreach (var match in regex.EnumerateMatches(segment))
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(lookup, segment.Slice(match.Index, match.Length), out _)++;
                }
            }
        }

        var words = new int[counts.Count][];
        var frequencies = new long[counts.Count];
        var index = 0;
        foreach (var (word, count) in counts)
        {
            var bytes = Encoding.UTF8.GetBytes(word);
            var symbols = new int[bytes.Length];
            for (var i = 0; i < bytes.Length; i++)
            {
                symbols[i] = SpecialTokens.All.Count + bytes[i];
            }

            words[index] = symbols;
            frequencies[index++] = count;
        }

        return (words, frequencies);
    }

    /// <summary>The word with every occurrence of (left, right) merged, left to right; null when there is none.</summary>
    private static int[]? Merge(int[] symbols, int left, int right, int newToken)
    {
        List<int>? result = null;
        for (var i = 0; i < symbols.Length; i++)
        {
            if (i + 1 < symbols.Length && symbols[i] == left && symbols[i + 1] == right)
            {
                result ??= [.. symbols.AsSpan(0, i)];
                result.Add(newToken);
                i++;
            }
            else
            {
                result?.Add(symbols[i]);
            }
        }

        return result?.ToArray();
    }

    private static void RemovePairs(int[] symbols, long frequency, Dictionary<long, long> pairCounts)
    {
        for (var i = 0; i + 1 < symbols.Length; i++)
        {
            CollectionsMarshal.GetValueRefOrNullRef(pairCounts, BpeTokenizer.PairKey(symbols[i], symbols[i + 1])) -= frequency;
        }
    }

    private static void AddPairs(
        int[] symbols,
        int word,
        long frequency,
        int newToken,
        Dictionary<long, long> pairCounts,
        Dictionary<long, List<int>> pairWords,
        HashSet<long>? changed)
    {
        for (var i = 0; i + 1 < symbols.Length; i++)
        {
            var pair = BpeTokenizer.PairKey(symbols[i], symbols[i + 1]);
            CollectionsMarshal.GetValueRefOrAddDefault(pairCounts, pair, out _) += frequency;

            // Only pairs with the new token are new to this word; the others are already indexed.
            if (newToken < 0 || symbols[i] == newToken || symbols[i + 1] == newToken)
            {
                ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(pairWords, pair, out _);
                list ??= [];
                if (list.Count == 0 || list[^1] != word)
                {
                    list.Add(word);
                }

                changed?.Add(pair);
            }
        }
    }
}

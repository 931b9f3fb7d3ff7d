namespace SiteCraft.Ml.Training.Corpus.Briefs;

/// <summary>
/// SplitMix64 (Steele et al. 2014): tiny, fast and fully specified, so a (seed, domain, index)
/// triple gives the same stream on every runtime, unlike System.Random or string hash codes.
/// </summary>
internal struct CorpusRandom(ulong state)
{
    private ulong _state = state;

    /// <summary>An independent stream for one item: example k does not depend on how many came before it.</summary>
    public static CorpusRandom For(int seed, ulong domain, long index) =>
        new(Mix(Mix((ulong)(uint)seed ^ domain) + (ulong)index));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A value in [0, count) by multiply-high, without modulo bias worth measuring at these sizes.</summary>
    public int Next(int count) => (int)(((UInt128)NextUInt64() * (ulong)count) >> 64);

    public bool Chance(double probability) => (NextUInt64() >> 11) * (1.0 / (1UL << 53)) < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Picks <paramref name="count"/> distinct items, in <paramref name="items"/> order or shuffled.</summary>
    public List<T> PickDistinct<T>(IReadOnlyList<T> items, int count, bool keepOrder = true)
    {
        var indexes = Enumerable.Range(0, items.Count).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = i + Next(indexes.Length - i);
            (indexes[i], indexes[j]) = (indexes[j], indexes[i]);
        }

        var chosen = indexes.Take(count);
        return [.. (keepOrder ? chosen.Order() : chosen).Select(i => items[i])];
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

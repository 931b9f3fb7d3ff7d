namespace SiteCraft.Ml.Inference.Routing;

/// <summary>
/// A 64-bit hash that is the same in every process, run and machine (unlike string.GetHashCode),
/// so a subject keeps its arm across replicas and restarts: FNV-1a over UTF-16 code units,
/// each string prefixed by its length so ("ab", "c") and ("a", "bc") differ, then a SplitMix64 finaliser.
/// </summary>
internal static class StableHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static ulong Start() => FnvOffset;

    public static ulong Add(ulong state, ulong value)
    {
        for (var i = 0; i < 8; i++)
        {
            state = (state ^ (value & 0xFF)) * FnvPrime;
            value >>= 8;
        }

        return state;
    }

    public static ulong Add(ulong state, string? text)
    {
        text ??= string.Empty;
        state = Add(state, (ulong)text.Length);
        foreach (var c in text)
        {
            state = (state ^ (c & 0xFFu)) * FnvPrime;
            state = (state ^ ((uint)c >> 8)) * FnvPrime;
        }

        return state;
    }

    /// <summary>SplitMix64's finaliser (Steele et al. 2014): every input bit affects every output bit.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

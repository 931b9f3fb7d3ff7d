using System.Numerics;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>
/// MinHash signatures over word (or character) n-gram shingles. Each shingle is hashed once
/// to 64 bits, and the permutations are multiply-shift hashes of it (a·x + b, high 32 bits),
/// computed a vector at a time. The seed fixes a and b, so signatures are stable across runs.
/// </summary>
public sealed class MinHasher
{
    private readonly ulong[] _a;
    private readonly ulong[] _b;
    private readonly ShingleUnit _unit;
    private readonly int _size;

    public MinHasher(MinHashSettings settings)
    {
        _unit = settings.Unit;
        _size = settings.ShingleSize;
        Permutations = settings.Permutations;
        _a = new ulong[Permutations];
        _b = new ulong[Permutations];
        var state = settings.Seed;
        for (var i = 0; i < Permutations; i++)
        {
            _a[i] = SplitMix(ref state) | 1;
            _b[i] = SplitMix(ref state);
        }
    }

    public int Permutations { get; }

    /// <summary>The signature of <paramref name="text"/>, or null when it has no words to shingle.</summary>
    public uint[]? Signature(string text)
    {
        var shingles = new List<ulong>(text.Length / 5 + 1);
        Shingles(text, _unit, _size, shingles);
        if (shingles.Count == 0)
        {
            return null;
        }

        Span<ulong> minimums = Permutations <= 1024 ? stackalloc ulong[Permutations] : new ulong[Permutations];
        minimums.Fill(ulong.MaxValue);
        var width = Vector<ulong>.Count;
        foreach (var shingle in shingles)
        {
            var x = new Vector<ulong>(shingle);
            var i = 0;
            for (; i <= Permutations - width; i += width)
            {
                var hashed = Vector.ShiftRightLogical(new Vector<ulong>(_a, i) * x + new Vector<ulong>(_b, i), 32);
                Vector.Min(hashed, new Vector<ulong>(minimums[i..])).CopyTo(minimums[i..]);
            }

            for (; i < Permutations; i++)
            {
                minimums[i] = Math.Min(minimums[i], (_a[i] * shingle + _b[i]) >> 32);
            }
        }

        var signature = new uint[Permutations];
        for (var i = 0; i < signature.Length; i++)
        {
            signature[i] = (uint)minimums[i];
        }

        return signature;
    }

    /// <summary>The share of positions where two signatures agree: an unbiased estimate of the Jaccard similarity.</summary>
    public static double EstimateJaccard(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        var same = 0;
        for (var i = 0; i < a.Length; i++)
        {
            same += a[i] == b[i] ? 1 : 0;
        }

        return (double)same / a.Length;
    }

    /// <summary>
    /// The 64-bit hashes of the text's shingles. Words are runs of letters and digits,
    /// lowercased, so markup and punctuation separate words rather than join them; a text
    /// shorter than one shingle is one shingle of all its words.
    /// </summary>
    public static void Shingles(string text, ShingleUnit unit, int size, List<ulong> into)
    {
        if (unit == ShingleUnit.Character)
        {
            CharacterShingles(text, size, into);
            return;
        }

        var words = new List<ulong>(text.Length / 5 + 1);
        var hash = FnvOffset;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                hash = (hash ^ char.ToLowerInvariant(c)) * FnvPrime;
                inWord = true;
            }
            else if (inWord)
            {
                words.Add(hash);
                hash = FnvOffset;
                inWord = false;
            }
        }

        if (inWord)
        {
            words.Add(hash);
        }

        if (words.Count == 0)
        {
            return;
        }

        var n = Math.Min(size, words.Count);
        for (var start = 0; start + n <= words.Count; start++)
        {
            var shingle = 0UL;
            for (var j = 0; j < n; j++)
            {
                shingle = (shingle * 0x9E3779B97F4A7C15UL) ^ words[start + j];
            }

            into.Add(Mix(shingle));
        }
    }

    private static void CharacterShingles(string text, int size, List<ulong> into)
    {
        var n = Math.Min(size, text.Length);
        for (var start = 0; n > 0 && start + n <= text.Length; start++)
        {
            var hash = FnvOffset;
            for (var j = 0; j < n; j++)
            {
                hash = (hash ^ char.ToLowerInvariant(text[start + j])) * FnvPrime;
            }

            into.Add(Mix(hash));
        }
    }

    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The SplitMix64 finaliser: spreads every input bit over the whole word.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SiteCraft.Ml.LocalModel.Tokenization;

/// <summary>
/// A byte-level BPE tokenizer in the GPT-2 style, saved and loaded in the Hugging Face <c>tokenizer.json</c> form.
/// Ids 0..5 are <see cref="SpecialTokens"/>; a tokenizer this class trains then has the 256 byte tokens in byte
/// order and one token per merge in merge order. Immutable and safe to share across threads.
/// </summary>
public sealed class BpeTokenizer
{
    // Enough for the distinct words of a large chat workload; cleared wholesale when full.
    private const int CacheCapacity = 100_000;
    private const int MaxCachedWordLength = 64;

    private readonly byte[][] _tokenBytes;
    private readonly int[] _byteIds;
    private readonly BpeMerge[] _merges;
    private readonly FrozenDictionary<long, int> _mergeRanks;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private int _cacheCount;

    /// <param name="tokenBytes">The bytes of every token, indexed by id; ids 0..5 are the special tokens.</param>
    /// <param name="merges">The merges in rank order; each joins two tokens into <see cref="BpeMerge.Result"/>.</param>
    internal BpeTokenizer(byte[][] tokenBytes, IReadOnlyList<BpeMerge> merges)
    {
        _tokenBytes = tokenBytes;
        _merges = [.. merges];
        _byteIds = new int[256];
        Array.Fill(_byteIds, -1);
        for (var id = SpecialTokens.All.Count; id < tokenBytes.Length; id++)
        {
            if (tokenBytes[id].Length == 1)
            {
                _byteIds[tokenBytes[id][0]] = id;
            }
        }

        _mergeRanks = _merges
            .Select((merge, rank) => (Key: PairKey(merge.Left, merge.Right), Rank: rank))
            .ToFrozenDictionary(m => m.Key, m => m.Rank);
    }

    /// <summary>The number of tokens, special tokens included.</summary>
    public int VocabSize => _tokenBytes.Length;

    internal IReadOnlyList<BpeMerge> Merges => _merges;

    /// <summary>
    /// Learns a byte-level BPE vocabulary of <paramref name="vocabSize"/> tokens (6 special + 256 byte + merges)
    /// from <paramref name="texts"/>. Special-token text in the texts splits words and is never learned.
    /// Stops early when no pair of tokens occurs twice. Deterministic: the same texts give the same tokenizer.
    /// </summary>
    /// <param name="texts">The training texts, e.g. rendered chat examples.</param>
    /// <param name="vocabSize">The vocabulary size wanted, at least 262.</param>
    /// <param name="progress">Receives the fraction of merges done, 0..1.</param>
    public static BpeTokenizer Train(IEnumerable<string> texts, int vocabSize, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, BpeTrainer.BaseVocabSize);
        return BpeTrainer.Train(texts, vocabSize, progress);
    }

    /// <summary>Reads a tokenizer from Hugging Face <c>tokenizer.json</c> text.</summary>
    /// <exception cref="TokenizerFormatException">The JSON is malformed or inconsistent.</exception>
    public static BpeTokenizer FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TokenizerJson.Read(json, source: null);
    }

    /// <summary>Reads a tokenizer from a Hugging Face <c>tokenizer.json</c> file.</summary>
    /// <exception cref="TokenizerFormatException">The file is malformed or inconsistent; the message names it.</exception>
    public static BpeTokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return TokenizerJson.Read(File.ReadAllText(path, Encoding.UTF8), path);
    }

    /// <summary>The Hugging Face <c>tokenizer.json</c> text; identical tokenizers give identical text.</summary>
    public string ToJson() => TokenizerJson.Write(this);

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> as UTF-8 without a byte order mark.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, ToJson(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>The Hugging Face <c>tokenizer_config.json</c> text that goes next to <c>tokenizer.json</c>.</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Written beside this tokenizer's file.")]
    public string ToTokenizerConfigJson(int modelMaxLength) => TokenizerJson.WriteConfig(modelMaxLength);

    /// <summary>
    /// Encodes <paramref name="text"/>. With <paramref name="allowSpecial"/>, exact special-token text becomes the
    /// special id; without it, such text is encoded like any other text.
    /// </summary>
    public IReadOnlyList<int> Encode(string text, bool allowSpecial = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 1);
        if (!allowSpecial)
        {
            EncodeOrdinary(text, ids);
            return ids;
        }

        foreach (var (start, length, specialId) in SpecialTokens.Split(text))
        {
            if (specialId >= 0)
            {
                ids.Add(specialId);
            }
            else
            {
                EncodeOrdinary(text.AsSpan(start, length), ids);
            }
        }

        return ids;
    }

    /// <summary>
    /// The text of <paramref name="ids"/>. Bytes that are not valid UTF-8 (a token sequence cut inside a
    /// character) decode as U+FFFD.
    /// </summary>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecial = false)
    {
        var length = 0;
        foreach (var id in ids)
        {
            CheckId(id);
            if (!(skipSpecial && IsSpecial(id)))
            {
                length += _tokenBytes[id].Length;
            }
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            foreach (var id in ids)
            {
                if (!(skipSpecial && IsSpecial(id)))
                {
                    _tokenBytes[id].CopyTo(buffer, written);
                    written += _tokenBytes[id].Length;
                }
            }

            return Encoding.UTF8.GetString(buffer, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc cref="Decode(ReadOnlySpan{int}, bool)"/>
    public string Decode(IEnumerable<int> ids, bool skipSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Decode(ids.ToArray().AsSpan(), skipSpecial);
    }

    /// <summary>The raw UTF-8 bytes of a token; for a special token, the UTF-8 of its text.</summary>
    public ReadOnlySpan<byte> TokenBytes(int id)
    {
        CheckId(id);
        return _tokenBytes[id];
    }

    /// <summary>Whether <paramref name="id"/> is one of the six special tokens.</summary>
    public bool IsSpecial(int id)
    {
        CheckId(id);
        return id < SpecialTokens.All.Count;
    }

    /// <summary>The id of a special token, e.g. <c>TokenId(SpecialTokens.End)</c> is 4.</summary>
    /// <exception cref="ArgumentException"><paramref name="specialToken"/> is not a special token.</exception>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Ids are asked of the tokenizer at hand.")]
    public int TokenId(string specialToken)
    {
        ArgumentNullException.ThrowIfNull(specialToken);
        var id = SpecialTokens.IdOf(specialToken);
        return id >= 0
            ? id
            : throw new ArgumentException(
                $"'{specialToken}' is not a special token; expected one of {string.Join(", ", SpecialTokens.All)}.",
                nameof(specialToken));
    }

    internal static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;

    private void CheckId(int id)
    {
        if ((uint)id >= (uint)_tokenBytes.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(id), id, $"Token id {id} is outside the vocabulary of {_tokenBytes.Length} tokens.");
        }
    }

    private void EncodeOrdinary(ReadOnlySpan<char> text, List<int> ids)
    {
        var cache = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var match in PreTokenizer.Words().EnumerateMatches(text))
        {
            var word = text.Slice(match.Index, match.Length);
            if (cache.TryGetValue(word, out var cached))
            {
                ids.AddRange(cached);
                continue;
            }

            var encoded = EncodeWord(word);
            ids.AddRange(encoded);
            if (word.Length <= MaxCachedWordLength)
            {
                if (Interlocked.Increment(ref _cacheCount) > CacheCapacity)
                {
                    _cache.Clear();
                    Interlocked.Exchange(ref _cacheCount, 0);
                }

                cache.TryAdd(word, encoded);
            }
        }
    }

    private int[] EncodeWord(ReadOnlySpan<char> word)
    {
        var byteCount = Encoding.UTF8.GetByteCount(word);
        var bytes = byteCount <= 256 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(word, bytes);
        var symbols = new int[byteCount];
        for (var i = 0; i < byteCount; i++)
        {
            symbols[i] = _byteIds[bytes[i]];
        }

        return byteCount < 2 || _merges.Length == 0 ? symbols : ApplyMerges(symbols);
    }

    // The standard BPE encode: repeatedly apply the lowest-ranked merge present, leftmost first, as a
    // linked list with a priority queue so a long word costs n log n rather than n².
    private int[] ApplyMerges(int[] symbols)
    {
        var n = symbols.Length;
        var next = new int[n];
        var prev = new int[n];
        var queue = new PriorityQueue<int, (int Rank, int Position)>(n);
        for (var i = 0; i < n; i++)
        {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
            if (i + 1 < n && _mergeRanks.TryGetValue(PairKey(symbols[i], symbols[i + 1]), out var rank))
            {
                queue.Enqueue(i, (rank, i));
            }
        }

        var alive = n;
        while (queue.TryDequeue(out var position, out var priority))
        {
            var right = next[position];
            if (symbols[position] < 0 || right < 0
                || !_mergeRanks.TryGetValue(PairKey(symbols[position], symbols[right]), out var rank)
                || rank != priority.Rank)
            {
                continue;
            }

            symbols[position] = _merges[rank].Result;
            symbols[right] = -1;
            alive--;
            next[position] = next[right];
            if (next[position] >= 0)
            {
                prev[next[position]] = position;
            }

            var before = prev[position];
            if (before >= 0 && _mergeRanks.TryGetValue(PairKey(symbols[before], symbols[position]), out var leftRank))
            {
                queue.Enqueue(before, (leftRank, before));
            }

            var after = next[position];
            if (after >= 0 && _mergeRanks.TryGetValue(PairKey(symbols[position], symbols[after]), out var rightRank))
            {
                queue.Enqueue(position, (rightRank, position));
            }
        }

        var result = new int[alive];
        var written = 0;
        foreach (var symbol in symbols)
        {
            if (symbol >= 0)
            {
                result[written++] = symbol;
            }
        }

        return result;
    }
}

using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>
/// MinHash LSH: signatures are cut into bands; two records sharing any band are candidates,
/// and a candidate is a near duplicate when the full signatures agree on at least the confirm
/// threshold's share of positions. Not thread-safe; one index per curation stream.
/// </summary>
public sealed class NearDuplicateIndex(MinHashSettings settings)
{
    private readonly Dictionary<ulong, List<int>>[] _bands = Enumerable.Range(0, settings.Bands).Select(_ => new Dictionary<ulong, List<int>>()).ToArray();
    private readonly List<uint[]> _signatures = [];
    private readonly List<string> _ids = [];
    private int[] _lastQuery = new int[16];
    private int _query;

    public int Count => _ids.Count;

    /// <summary>The most similar indexed record at or above the confirm threshold, or null.</summary>
    public (string Id, double Similarity)? FindDuplicate(ReadOnlySpan<uint> signature)
    {
        _query++;
        string? bestId = null;
        var best = 0.0;
        for (var band = 0; band < _bands.Length; band++)
        {
            if (!_bands[band].TryGetValue(BandKey(signature, band), out var bucket))
            {
                continue;
            }

            foreach (var candidate in bucket)
            {
                if (_lastQuery[candidate] == _query)
                {
                    continue;
                }

                _lastQuery[candidate] = _query;
                var similarity = MinHasher.EstimateJaccard(signature, _signatures[candidate]);
                if (similarity >= settings.ConfirmThreshold && similarity > best)
                {
                    best = similarity;
                    bestId = _ids[candidate];
                }
            }
        }

        return bestId is null ? null : (bestId, best);
    }

    public void Add(string id, uint[] signature)
    {
        var index = _ids.Count;
        _ids.Add(id);
        _signatures.Add(signature);
        if (index >= _lastQuery.Length)
        {
            Array.Resize(ref _lastQuery, _lastQuery.Length * 2);
        }

        for (var band = 0; band < _bands.Length; band++)
        {
            var key = BandKey(signature, band);
            if (!_bands[band].TryGetValue(key, out var bucket))
            {
                _bands[band][key] = bucket = new List<int>(1);
            }

            bucket.Add(index);
        }
    }

    private ulong BandKey(ReadOnlySpan<uint> signature, int band)
    {
        var key = 0xCBF29CE484222325UL;
        foreach (var value in signature.Slice(band * settings.Rows, settings.Rows))
        {
            key = (key ^ value) * 0x100000001B3UL;
        }

        return key;
    }
}

using System.Collections.Concurrent;

namespace SiteCraft.Ml.FakeProviders;

/// <summary>
/// Model names seen so far. Lookup by span means a repeated name costs no allocation,
/// which keeps the benchmark's fast path cheap.
/// </summary>
internal sealed class ModelCatalog
{
    private readonly ConcurrentDictionary<string, ModelEntry> _entries;
    private readonly ConcurrentDictionary<string, ModelEntry>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public ModelCatalog()
    {
        _entries = new ConcurrentDictionary<string, ModelEntry>(StringComparer.Ordinal);
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public ModelEntry Resolve(ReadOnlySpan<char> name) =>
        _bySpan.TryGetValue(name, out var entry) ? entry : Resolve(name.ToString());

    public ModelEntry Resolve(string name) =>
        _entries.TryGetValue(name, out var entry) ? entry : _entries.GetOrAdd(name, static n => new ModelEntry(n));

    public int CountFor(string name) => _entries.TryGetValue(name, out var entry) ? entry.Count : 0;

    public void ResetCounts()
    {
        foreach (var entry in _entries)
        {
            entry.Value.ResetCount();
        }
    }
}

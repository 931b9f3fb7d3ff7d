using System.Collections.Concurrent;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Inference.Generation;

/// <summary>
/// Unary answers by request_id: a retry while the first call runs awaits it, a retry after it
/// completed gets the same answer for <see cref="InferenceOptions.IdempotencyWindow"/>. A failed
/// call is forgotten, so its retry runs again. Per replica; bounded in size.
/// </summary>
public sealed class IdempotencyCache(TimeProvider time)
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _lastSweep;

    public async Task<GenerateResponse> GetOrRunAsync(string key, TimeSpan window, Func<Task<GenerateResponse>> run)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(key, out var existing) && (existing.ExpiresAt is null || existing.ExpiresAt > now))
        {
            return await existing.Response.Task;
        }

        var mine = new Entry(new TaskCompletionSource<GenerateResponse>(TaskCreationOptions.RunContinuationsAsynchronously));
        var entry = _entries.AddOrUpdate(key, mine, (_, current) => current.ExpiresAt is long expires && expires <= now ? mine : current);
        if (!ReferenceEquals(entry, mine))
        {
            return await entry.Response.Task;
        }

        try
        {
            var response = await run();
            mine.ExpiresAt = time.GetTimestamp() + (long)(window.TotalSeconds * time.TimestampFrequency);
            mine.Response.SetResult(response);
            SweepIfDue();
            return response;
        }
        catch (Exception exception)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, mine));
            mine.Response.SetException(exception);
            throw;
        }
    }

    private void SweepIfDue()
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastSweep);
        if (_entries.Count < MaxEntries && now - last < time.TimestampFrequency * 10)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt is long expires && expires <= now)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private sealed class Entry(TaskCompletionSource<GenerateResponse> response)
    {
        public TaskCompletionSource<GenerateResponse> Response { get; } = response;

        public long? ExpiresAt { get; set; }
    }
}

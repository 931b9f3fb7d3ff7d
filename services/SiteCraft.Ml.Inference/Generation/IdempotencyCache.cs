using System.Collections.Concurrent;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Inference.Generation;

/// <summary>
/// Unary answers by request_id: a retry while the first call runs awaits it, a retry after it
/// completed gets the same answer for <see cref="InferenceOptions.IdempotencyWindow"/> or until
/// <see cref="MaxEntries"/> newer answers have pushed it out, whichever comes first. A failed call
/// is forgotten, so its retry runs again. Per replica.
/// </summary>
public sealed class IdempotencyCache(TimeProvider time)
{
    /// <summary>About 40 MB of answers; at 4,000 requests/s that keeps the last 25 s.</summary>
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // Completed entries in completion order. The window is fixed, so this is also expiry order:
    // trimming looks only at the head, O(1) per call, with no scan and no dictionary-wide lock.
    private readonly ConcurrentQueue<(string Key, Entry Entry)> _completed = new();
    private int _completedCount;

    public async Task<GenerateResponse> GetOrRunAsync(string key, TimeSpan window, Func<Task<GenerateResponse>> run)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(key, out var existing) && !existing.HasExpired(now))
        {
            return await existing.Response.Task;
        }

        var mine = new Entry(new TaskCompletionSource<GenerateResponse>(TaskCreationOptions.RunContinuationsAsynchronously));
        var entry = _entries.AddOrUpdate(key, mine, (_, current) => current.HasExpired(now) ? mine : current);
        if (!ReferenceEquals(entry, mine))
        {
            return await entry.Response.Task;
        }

        try
        {
            var response = await run();
            var completed = time.GetTimestamp();
            mine.ExpiresAt = completed + (long)(window.TotalSeconds * time.TimestampFrequency);
            mine.Response.SetResult(response);
            _completed.Enqueue((key, mine));
            Interlocked.Increment(ref _completedCount);
            Trim(completed);
            return response;
        }
        catch (Exception exception)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, mine));
            mine.Response.SetException(exception);
            throw;
        }
    }

    /// <summary>Completed answers currently kept.</summary>
    public int Count => Volatile.Read(ref _completedCount);

    private void Trim(long now)
    {
        while (_completed.TryPeek(out var head) && (head.Entry.HasExpired(now) || Volatile.Read(ref _completedCount) > MaxEntries))
        {
            if (!_completed.TryDequeue(out head))
            {
                return;
            }

            Interlocked.Decrement(ref _completedCount);
            // Only this entry: a newer call may already have replaced it under the same key.
            _entries.TryRemove(new KeyValuePair<string, Entry>(head.Key, head.Entry));
        }
    }

    private sealed class Entry(TaskCompletionSource<GenerateResponse> response)
    {
        private long _expiresAt = long.MaxValue;

        public TaskCompletionSource<GenerateResponse> Response { get; } = response;

        public long ExpiresAt
        {
            get => Volatile.Read(ref _expiresAt);
            set => Volatile.Write(ref _expiresAt, value);
        }

        public bool HasExpired(long now) => ExpiresAt <= now;
    }
}

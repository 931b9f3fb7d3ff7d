using System.Collections.Concurrent;

namespace SiteCraft.Ml.Evals.Data;

/// <summary>One semaphore per provider, shared by every run in the process, so two runs against one provider share its limit.</summary>
public sealed class ProviderLimits(EvalRunOptions options)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public SemaphoreSlim For(string? provider)
    {
        var key = provider is not null && options.Concurrency.ContainsKey(provider) ? provider : "default";
        return _gates.GetOrAdd(key, k => new SemaphoreSlim(Math.Max(1, options.Concurrency.GetValueOrDefault(k, 4))));
    }

    public int LimitFor(string? provider) =>
        Math.Max(1, provider is not null && options.Concurrency.TryGetValue(provider, out var n) ? n : options.Concurrency.GetValueOrDefault("default", 4));
}

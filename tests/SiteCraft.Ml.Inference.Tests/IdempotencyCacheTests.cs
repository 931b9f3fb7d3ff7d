using Microsoft.Extensions.Time.Testing;
using SiteCraft.Ml.Inference.Generation;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Inference.Tests;

public sealed class IdempotencyCacheTests
{
    [Fact]
    public async Task Concurrent_calls_with_one_key_run_once_and_share_the_answer()
    {
        var cache = new IdempotencyCache(new FakeTimeProvider());
        var runs = 0;
        var gate = new TaskCompletionSource();
        async Task<GenerateResponse> Run()
        {
            Interlocked.Increment(ref runs);
            await gate.Task;
            return new GenerateResponse { GenerationId = "g1" };
        }

        var first = cache.GetOrRunAsync("k", TimeSpan.FromMinutes(10), Run);
        var second = cache.GetOrRunAsync("k", TimeSpan.FromMinutes(10), Run);
        gate.SetResult();

        Assert.Equal("g1", (await first).GenerationId);
        Assert.Equal("g1", (await second).GenerationId);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task An_answer_expires_after_the_window_and_a_failure_is_forgotten_at_once()
    {
        var time = new FakeTimeProvider();
        var cache = new IdempotencyCache(time);
        var runs = 0;
        Task<GenerateResponse> Run() => Task.FromResult(new GenerateResponse { GenerationId = $"g{Interlocked.Increment(ref runs)}" });

        await cache.GetOrRunAsync("k", TimeSpan.FromMinutes(10), Run);
        var cached = await cache.GetOrRunAsync("k", TimeSpan.FromMinutes(10), Run);
        time.Advance(TimeSpan.FromMinutes(11));
        var fresh = await cache.GetOrRunAsync("k", TimeSpan.FromMinutes(10), Run);
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrRunAsync("f", TimeSpan.FromMinutes(10), () => throw new InvalidOperationException("x")));
        var retried = await cache.GetOrRunAsync("f", TimeSpan.FromMinutes(10), Run);

        Assert.Equal(("g1", "g2", "g3"), (cached.GenerationId, fresh.GenerationId, retried.GenerationId));
    }

    [Fact]
    public async Task The_cache_keeps_at_most_its_cap_and_drops_the_oldest_answers_first()
    {
        var cache = new IdempotencyCache(new FakeTimeProvider());
        var runs = 0;
        Task<GenerateResponse> Run() => Task.FromResult(new GenerateResponse { GenerationId = $"g{Interlocked.Increment(ref runs)}" });

        for (var i = 0; i < IdempotencyCache.MaxEntries + 10; i++)
        {
            await cache.GetOrRunAsync($"k{i}", TimeSpan.FromMinutes(10), Run);
        }

        var newest = await cache.GetOrRunAsync($"k{IdempotencyCache.MaxEntries + 9}", TimeSpan.FromMinutes(10), Run);
        var oldest = await cache.GetOrRunAsync("k0", TimeSpan.FromMinutes(10), Run);

        Assert.Equal($"g{IdempotencyCache.MaxEntries + 10}", newest.GenerationId);
        Assert.Equal($"g{IdempotencyCache.MaxEntries + 11}", oldest.GenerationId);
        Assert.Equal(IdempotencyCache.MaxEntries, cache.Count);
    }
}

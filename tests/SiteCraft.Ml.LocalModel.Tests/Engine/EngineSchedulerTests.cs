using SiteCraft.Ml.LocalModel.Engine;

namespace SiteCraft.Ml.LocalModel.Tests.Engine;

public sealed class EngineSchedulerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_third_request_is_refused_while_the_second_waits_then_runs()
    {
        var scheduler = new EngineScheduler(maxConcurrentSequences: 1, maxQueued: 1);
        var first = await scheduler.AcquireAsync();

        var second = scheduler.AcquireAsync().AsTask();
        await Assert.ThrowsAsync<EngineBusyException>(async () => await scheduler.AcquireAsync());

        Assert.False(second.IsCompleted);
        Assert.Equal(1, scheduler.Queued);
        first.Dispose();
        using var lease = await second.WaitAsync(s_timeout);
        Assert.Equal(1, scheduler.Running);
        Assert.Equal(0, scheduler.Queued);
    }

    [Fact]
    public async Task Waiting_requests_run_in_arrival_order()
    {
        var scheduler = new EngineScheduler(1, 3);
        var running = await scheduler.AcquireAsync();
        var waiting = Enumerable.Range(0, 3).Select(_ => scheduler.AcquireAsync().AsTask()).ToArray();

        running.Dispose();
        await waiting[0].WaitAsync(s_timeout);

        Assert.False(waiting[1].IsCompleted);
        Assert.False(waiting[2].IsCompleted);
        (await waiting[0]).Dispose();
        (await waiting[1].WaitAsync(s_timeout)).Dispose();
        (await waiting[2].WaitAsync(s_timeout)).Dispose();
        Assert.Equal(0, scheduler.Running);
    }

    [Fact]
    public async Task Cancelling_a_waiting_request_frees_its_place_in_the_queue()
    {
        var scheduler = new EngineScheduler(1, 1);
        using var running = await scheduler.AcquireAsync();
        using var cancel = new CancellationTokenSource();
        var waiting = scheduler.AcquireAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(s_timeout));
        Assert.Equal(0, scheduler.Queued);
        var next = scheduler.AcquireAsync().AsTask();
        Assert.False(next.IsCompleted);
        running.Dispose();
        (await next.WaitAsync(s_timeout)).Dispose();
    }

    [Fact]
    public async Task Disposing_a_lease_twice_releases_one_slot()
    {
        var scheduler = new EngineScheduler(2, 0);
        var first = await scheduler.AcquireAsync();
        using var second = await scheduler.AcquireAsync();

        first.Dispose();
        first.Dispose();

        Assert.Equal(1, scheduler.Running);
    }
}

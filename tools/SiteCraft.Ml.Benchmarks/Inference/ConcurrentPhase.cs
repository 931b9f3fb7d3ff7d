using System.Diagnostics;
using SiteCraft.Ml.Benchmarks.Measurement;

namespace SiteCraft.Ml.Benchmarks.Inference;

/// <summary>Sustained load: a fixed number of callers, each calling again as soon as its call returns.</summary>
public static class ConcurrentPhase
{
    private const int FailureLimitPerCaller = 20;

    /// <summary>
    /// <paramref name="concurrency"/> callers for <paramref name="warmup"/> (not counted: connections
    /// open, pools fill), then <paramref name="duration"/> counted. Calls in flight at the end finish
    /// and count; requests/s divides by the time until the last one did.
    /// </summary>
    public static async Task<ConcurrentResult> RunAsync(
        Func<Func<CancellationToken, Task>> newCaller, int concurrency, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        var warm = new LatencyRecorder[concurrency];
        var counted = new LatencyRecorder[concurrency];
        try
        {
            for (var i = 0; i < concurrency; i++)
            {
                warm[i] = new LatencyRecorder();
                counted[i] = new LatencyRecorder(4096);
            }

            var countFrom = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
            var stopAt = countFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var started = DateTimeOffset.UtcNow + warmup;
            var callers = Enumerable.Range(0, concurrency)
                .Select(i => CallUntilAsync(newCaller(), warm[i], counted[i], countFrom, stopAt, cancellationToken))
                .ToArray();
            await Task.WhenAll(callers);
            var elapsed = Stopwatch.GetElapsedTime(countFrom);
            return new ConcurrentResult(CallStats.Of(counted), elapsed, started, DateTimeOffset.UtcNow, CallStats.Of(warm));
        }
        finally
        {
            foreach (var recorder in warm.Concat(counted))
            {
                recorder?.Dispose();
            }
        }
    }

    private static async Task CallUntilAsync(
        Func<CancellationToken, Task> call, LatencyRecorder warm, LatencyRecorder counted, long countFrom, long stopAt, CancellationToken cancellationToken)
    {
        // Off the starting thread at once, so the callers start together.
        await Task.Yield();
        while (warm.Failures + counted.Failures < FailureLimitPerCaller)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= stopAt)
            {
                return;
            }

            await (now < countFrom ? warm : counted).TimeAsync(call, cancellationToken);
        }
    }
}

/// <summary>
/// The counted calls, the time from the start of counting to the last one's end, the UTC window (to
/// match telemetry rows), and the warm-up's calls (whose rows count too).
/// </summary>
public sealed record ConcurrentResult(CallStats Calls, TimeSpan Elapsed, DateTimeOffset Started, DateTimeOffset Ended, CallStats Warmup)
{
    public double RequestsPerSecond => Calls.Succeeded / Elapsed.TotalSeconds;

    public int Failures => Calls.Failures + Warmup.Failures;
}

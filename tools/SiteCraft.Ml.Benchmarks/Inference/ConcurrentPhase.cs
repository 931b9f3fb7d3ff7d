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
        // Completions per second of counting, per caller; a call ending after the last second counts in it.
        var seconds = (int)Math.Ceiling(duration.TotalSeconds);
        var perSecond = Enumerable.Range(0, concurrency).Select(_ => new int[seconds]).ToArray();
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
                .Select(i => CallUntilAsync(newCaller(), warm[i], counted[i], perSecond[i], countFrom, stopAt, cancellationToken))
                .ToArray();
            await Task.WhenAll(callers);
            var elapsed = Stopwatch.GetElapsedTime(countFrom);
            var completions = Enumerable.Range(0, seconds).Select(second => perSecond.Sum(caller => caller[second])).ToArray();
            return new ConcurrentResult(CallStats.Of(counted), elapsed, started, DateTimeOffset.UtcNow, CallStats.Of(warm), completions);
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
        Func<CancellationToken, Task> call, LatencyRecorder warm, LatencyRecorder counted, int[] perSecond, long countFrom, long stopAt, CancellationToken cancellationToken)
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

            if (now < countFrom)
            {
                await warm.TimeAsync(call, cancellationToken);
            }
            else if (await counted.TimeAsync(call, cancellationToken))
            {
                var second = (Stopwatch.GetTimestamp() - countFrom) / Stopwatch.Frequency;
                perSecond[Math.Min(second, perSecond.Length - 1)]++;
            }
        }
    }
}

/// <summary>
/// The counted calls, the time from the start of counting to the last one's end, the UTC window (to
/// match telemetry rows), the warm-up's calls (whose rows count too), and completions per second.
/// </summary>
public sealed record ConcurrentResult(
    CallStats Calls, TimeSpan Elapsed, DateTimeOffset Started, DateTimeOffset Ended, CallStats Warmup, IReadOnlyList<int> PerSecond)
{
    public double RequestsPerSecond => Calls.Succeeded / Elapsed.TotalSeconds;

    /// <summary>Seconds per slice when telling whether the rate held: about six slices, 10 s for a minute's run.</summary>
    public int SliceSeconds => Math.Max(1, PerSecond.Count / 6);

    /// <summary>Requests/s in each consecutive slice of <see cref="SliceSeconds"/> (the last may be shorter).</summary>
    public IReadOnlyList<double> SliceRates => [.. PerSecond.Chunk(SliceSeconds).Select(slice => slice.Sum() / (double)slice.Length)];

    public int Failures => Calls.Failures + Warmup.Failures;
}

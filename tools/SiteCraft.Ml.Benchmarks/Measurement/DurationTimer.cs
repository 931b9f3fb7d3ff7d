using System.Diagnostics;

namespace SiteCraft.Ml.Benchmarks.Measurement;

/// <summary>
/// Times an operation that may do I/O: warm-up runs for at least <see cref="ThroughputTimer.Warmup"/>
/// (and two runs), then counted runs, each after a full collection, as <see cref="ThroughputTimer"/> does.
/// </summary>
public static class DurationTimer
{
    private const int MinimumWarmupRuns = 2;

    public static async Task<DurationSummary> MeasureAsync(int repetitions, Func<CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var warmupStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < MinimumWarmupRuns || Stopwatch.GetElapsedTime(warmupStart) < ThroughputTimer.Warmup; i++)
        {
            await run(cancellationToken);
        }

        var times = new List<TimeSpan>(repetitions);
        for (var i = 0; i < repetitions; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var start = Stopwatch.GetTimestamp();
            await run(cancellationToken);
            times.Add(Stopwatch.GetElapsedTime(start));
        }

        return new DurationSummary(times);
    }
}

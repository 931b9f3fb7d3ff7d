using System.Diagnostics;

namespace SiteCraft.Ml.Benchmarks.Measurement;

/// <summary>
/// Times whole passes over a set of records: warm-up passes for at least <see cref="Warmup"/>,
/// then <c>repetitions</c> counted passes, each after a full collection so a pass does not pay
/// for the garbage of the one before.
/// </summary>
public static class ThroughputTimer
{
    /// <summary>
    /// Tiered JIT recompiles a hot method in the background 100 ms after its 30th call, and again
    /// with profile data; a single short pass can end before that, so warm-up is by time.
    /// </summary>
    public static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);

    /// <summary>
    /// <paramref name="prepare"/> runs untimed before each pass (building a fresh curator, say) and
    /// returns the pass itself, which is timed.
    /// </summary>
    public static ThroughputSummary Measure(long records, long bytes, int repetitions, Func<Action> prepare)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var warmupStart = Stopwatch.GetTimestamp();
        do
        {
            prepare()();
        }
        while (Stopwatch.GetElapsedTime(warmupStart) < Warmup);

        var passes = new List<TimeSpan>(repetitions);
        var cpu = new List<TimeSpan>(repetitions);
        long allocated = 0;
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < repetitions; i++)
        {
            var pass = prepare();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var start = Stopwatch.GetTimestamp();
            pass();
            passes.Add(Stopwatch.GetElapsedTime(start));
            process.Refresh();
            cpu.Add(process.TotalProcessorTime - cpuBefore);
            allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        }

        return new ThroughputSummary(records, bytes, passes, cpu, (double)allocated / repetitions / Math.Max(records, 1));
    }
}

using System.Diagnostics;

namespace SiteCraft.Ml.Benchmarks.Measurement;

/// <summary>
/// Times whole passes over a set of records: one warm-up pass (tiered JIT settles in it), then
/// <c>repetitions</c> counted passes, each after a full collection so a pass does not pay for
/// the garbage of the one before.
/// </summary>
public static class ThroughputTimer
{
    /// <summary>
    /// <paramref name="prepare"/> runs untimed before each pass (building a fresh curator, say) and
    /// returns the pass itself, which is timed.
    /// </summary>
    public static ThroughputSummary Measure(long records, long bytes, int repetitions, Func<Action> prepare)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        prepare()();

        var passes = new List<TimeSpan>(repetitions);
        long allocated = 0;
        for (var i = 0; i < repetitions; i++)
        {
            var pass = prepare();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var start = Stopwatch.GetTimestamp();
            pass();
            passes.Add(Stopwatch.GetElapsedTime(start));
            allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        }

        return new ThroughputSummary(records, bytes, passes, (double)allocated / repetitions / Math.Max(records, 1));
    }
}

using System.Diagnostics;

namespace SiteCraft.Ml.IntegrationTests.Telemetry;

/// <summary>Polls until a condition holds, with a timeout so a broken writer fails the test instead of hanging it.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Still not true after {limit.TotalSeconds:0} s: {what}");
            }

            await Task.Delay(20);
        }
    }
}

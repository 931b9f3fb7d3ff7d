using System.Diagnostics;

namespace SiteCraft.Ml.Benchmarks.Measurement;

/// <summary>
/// Times the calls of one caller and counts its failures. Not thread-safe: each concurrent caller
/// has its own, merged after the run, so recording takes no lock on the measured path.
/// </summary>
public sealed class LatencyRecorder : IDisposable
{
    /// <summary>A call slower than this counts as failed rather than stalling the run.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private const int KeptErrors = 5;

    private readonly List<double> _milliseconds;
    private readonly List<string> _errors = [];
    private CancellationTokenSource? _timeout;

    public LatencyRecorder(int expected = 1024) => _milliseconds = new List<double>(expected);

    public IReadOnlyList<double> Milliseconds => _milliseconds;

    public int Succeeded => _milliseconds.Count;

    public int Failures { get; private set; }

    /// <summary>The first few failure messages, to say what went wrong.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>
    /// Times one call. A failure or a call past <see cref="CallTimeout"/> is counted with its message
    /// instead of a latency; only <paramref name="abort"/> ends the run with an exception.
    /// </summary>
    public async Task<bool> TimeAsync(Func<CancellationToken, Task> call, CancellationToken abort)
    {
        // One timer per caller, re-armed for each call: a new one per call would be measured too.
        _timeout ??= CancellationTokenSource.CreateLinkedTokenSource(abort);
        _timeout.CancelAfter(CallTimeout);
        var start = Stopwatch.GetTimestamp();
        try
        {
            await call(_timeout.Token);
            _milliseconds.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return true;
        }
        catch (Exception e) when (!abort.IsCancellationRequested)
        {
            Failures++;
            if (_errors.Count < KeptErrors)
            {
                _errors.Add($"{e.GetType().Name}: {e.Message}");
            }

            return false;
        }
        finally
        {
            if (!_timeout.TryReset())
            {
                _timeout.Dispose();
                _timeout = null;
            }
        }
    }

    public void Dispose() => _timeout?.Dispose();
}

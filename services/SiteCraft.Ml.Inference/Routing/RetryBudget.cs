namespace SiteCraft.Ml.Inference.Routing;

/// <summary>
/// Caps fallback attempts so a failing provider cannot multiply load (Finagle's RetryBudget, as in Linkerd):
/// within the last window, withdrawals may reach ratio x primary requests plus minPerSecond x window seconds.
/// The window is 10 buckets, so old counts leave it a tenth of a window at a time; every call is O(1).
/// </summary>
public sealed class RetryBudget(double ratio, int minPerSecond, TimeSpan window, TimeProvider time)
{
    private const int BucketCount = 10;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));
    private readonly double _ratio = Checked(ratio);
    private readonly double _reserve = Checked(minPerSecond) * Checked(window).TotalSeconds;
    private readonly long _bucketLength = BucketLength(window, time);
    private readonly int[] _requests = new int[BucketCount];
    private readonly int[] _withdrawals = new int[BucketCount];
    private long _requestTotal;
    private long _withdrawalTotal;
    private long _currentBucket = -BucketCount;

    /// <summary>Counts one primary request, which earns the fallbacks Ratio of an attempt.</summary>
    public void RecordRequest()
    {
        lock (_gate)
        {
            var bucket = Advance();
            _requests[bucket]++;
            _requestTotal++;
        }
    }

    /// <summary>Takes one fallback attempt from the budget, or says there is none left.</summary>
    public bool TryWithdraw()
    {
        lock (_gate)
        {
            var bucket = Advance();
            // The epsilon keeps 0.1 x 30 requests worth 3 attempts despite binary rounding.
            if (_withdrawalTotal + 1 > (_ratio * _requestTotal) + _reserve + 1e-9)
            {
                return false;
            }

            _withdrawals[bucket]++;
            _withdrawalTotal++;
            return true;
        }
    }

    /// <summary>Moves the window to now, clearing the buckets that left it; returns the index of the current bucket.</summary>
    private int Advance()
    {
        var now = _time.GetTimestamp() / _bucketLength;
        if (now != _currentBucket)
        {
            if (now > _currentBucket && now - _currentBucket < BucketCount)
            {
                for (var bucket = _currentBucket + 1; bucket <= now; bucket++)
                {
                    Clear(Index(bucket));
                }
            }
            else
            {
                // Idle for a whole window (or a clock that went back): nothing in the window is still current.
                for (var index = 0; index < BucketCount; index++)
                {
                    Clear(index);
                }
            }

            _currentBucket = now;
        }

        return Index(now);
    }

    private void Clear(int index)
    {
        _requestTotal -= _requests[index];
        _withdrawalTotal -= _withdrawals[index];
        _requests[index] = 0;
        _withdrawals[index] = 0;
    }

    private static int Index(long bucket) => (int)(bucket % BucketCount);

    private static long BucketLength(TimeSpan window, TimeProvider time) =>
        Math.Max(1, (long)(window.TotalSeconds * time.TimestampFrequency / BucketCount));

    private static double Checked(double ratio) =>
        ratio >= 0 && double.IsFinite(ratio)
            ? ratio
            : throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The ratio must be a finite number >= 0.");

    private static int Checked(int minPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minPerSecond);
        return minPerSecond;
    }

    private static TimeSpan Checked(TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        return window;
    }
}

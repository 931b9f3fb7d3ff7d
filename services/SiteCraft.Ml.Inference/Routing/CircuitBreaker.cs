namespace SiteCraft.Ml.Inference.Routing;

public enum CircuitState
{
    Closed,
    Open,
    HalfOpen,
}

/// <summary>
/// One provider's circuit: Closed until FailureThreshold consecutive failures, then Open (rejecting) for
/// BreakDuration, then HalfOpen, where exactly one probe at a time is let through; the probe's success closes
/// the circuit and its failure opens it again. Thread-safe; while closed and healthy, TryAcquire and
/// RecordSuccess take no lock.
/// </summary>
public sealed class CircuitBreaker(BreakerSettings settings, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));
    private BreakerSettings _settings = Checked(settings);
    private volatile CircuitState _state = CircuitState.Closed;
    private volatile int _consecutiveFailures;
    private long _openedAt;
    private bool _probeInFlight;

    /// <summary>The state now; an open circuit whose break has elapsed reads as HalfOpen.</summary>
    public CircuitState State
    {
        get
        {
            lock (_gate)
            {
                return _state == CircuitState.Open && BreakElapsed() ? CircuitState.HalfOpen : _state;
            }
        }
    }

    /// <summary>Whether a call may go to the provider now. A true answer must be followed by exactly one of RecordSuccess, RecordFailure or Release.</summary>
    public bool TryAcquire()
    {
        if (_state == CircuitState.Closed)
        {
            return true;
        }

        lock (_gate)
        {
            switch (_state)
            {
                case CircuitState.Closed:
                    return true;
                case CircuitState.Open when BreakElapsed():
                    _state = CircuitState.HalfOpen;
                    _probeInFlight = true;
                    return true;
                case CircuitState.HalfOpen when !_probeInFlight:
                    _probeInFlight = true;
                    return true;
                default:
                    return false;
            }
        }
    }

    public void RecordSuccess()
    {
        if (_state == CircuitState.Closed && _consecutiveFailures == 0)
        {
            return;
        }

        lock (_gate)
        {
            switch (_state)
            {
                case CircuitState.Closed:
                case CircuitState.HalfOpen:
                    Close();
                    break;
                case CircuitState.Open:
                    // A call let through before the circuit opened says nothing about the provider now.
                    break;
            }
        }
    }

    public void RecordFailure()
    {
        lock (_gate)
        {
            switch (_state)
            {
                case CircuitState.Closed:
                    _consecutiveFailures++;
                    if (_consecutiveFailures >= _settings.FailureThreshold)
                    {
                        Open();
                    }

                    break;
                case CircuitState.HalfOpen:
                    Open();
                    break;
                case CircuitState.Open:
                    // Already open; a late failure must not extend the break.
                    break;
            }
        }
    }

    /// <summary>The acquired call ended without a verdict (e.g. the caller cancelled): frees the half-open probe slot.</summary>
    public void Release()
    {
        if (_state == CircuitState.Closed)
        {
            return;
        }

        lock (_gate)
        {
            if (_state == CircuitState.HalfOpen)
            {
                _probeInFlight = false;
            }
        }
    }

    /// <summary>New settings from a changed policy; they apply from the next failure, and an open break is measured against the new duration.</summary>
    public void Update(BreakerSettings settings)
    {
        // Called on every request with the policy's settings: the usual case changes nothing and takes no lock.
        if (Volatile.Read(ref _settings) == settings)
        {
            return;
        }

        var checkedSettings = Checked(settings);
        lock (_gate)
        {
            _settings = checkedSettings;
        }
    }

    private bool BreakElapsed() => _time.GetElapsedTime(_openedAt) >= _settings.BreakDuration;

    private void Open()
    {
        _openedAt = _time.GetTimestamp();
        _probeInFlight = false;
        _consecutiveFailures = 0;
        _state = CircuitState.Open;
    }

    private void Close()
    {
        _probeInFlight = false;
        _consecutiveFailures = 0;
        _state = CircuitState.Closed;
    }

    private static BreakerSettings Checked(BreakerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.FailureThreshold, 1, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.BreakDuration, TimeSpan.Zero, nameof(settings));
        return settings;
    }
}

using Microsoft.Extensions.Time.Testing;
using SiteCraft.Ml.Inference.Routing;

namespace SiteCraft.Ml.Inference.Tests.Routing;

public sealed class CircuitBreakerTests
{
    private static readonly BreakerSettings s_settings = new(3, TimeSpan.FromSeconds(10));
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_new_circuit_is_closed_and_lets_calls_through()
    {
        var breaker = new CircuitBreaker(s_settings, _time);

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.True(breaker.TryAcquire());
    }

    [Fact]
    public void The_circuit_opens_after_the_threshold_of_consecutive_failures_and_rejects_calls()
    {
        var breaker = new CircuitBreaker(s_settings, _time);

        Fail(breaker, 2);
        Assert.Equal(CircuitState.Closed, breaker.State);

        Fail(breaker, 1);
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.False(breaker.TryAcquire());
    }

    [Fact]
    public void A_success_resets_the_count_of_consecutive_failures()
    {
        var breaker = new CircuitBreaker(s_settings, _time);

        Fail(breaker, 2);
        breaker.RecordSuccess();
        Fail(breaker, 2);

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void An_open_circuit_rejects_until_the_break_duration_has_passed()
    {
        var breaker = Opened();

        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.False(breaker.TryAcquire());

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void A_half_open_circuit_lets_exactly_one_probe_through()
    {
        var breaker = Opened();
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(breaker.TryAcquire());
        Assert.False(breaker.TryAcquire());
        Assert.False(breaker.TryAcquire());
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void Concurrent_callers_on_a_half_open_circuit_get_one_probe_between_them()
    {
        var breaker = Opened();
        _time.Advance(TimeSpan.FromSeconds(10));

        var acquired = 0;
        Parallel.For(0, 1_000, _ =>
        {
            if (breaker.TryAcquire())
            {
                Interlocked.Increment(ref acquired);
            }
        });

        Assert.Equal(1, acquired);
    }

    [Fact]
    public void A_successful_probe_closes_the_circuit()
    {
        var breaker = Opened();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(breaker.TryAcquire());

        breaker.RecordSuccess();

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.True(breaker.TryAcquire());
        Assert.True(breaker.TryAcquire());
    }

    [Fact]
    public void A_failed_probe_opens_the_circuit_for_another_full_break()
    {
        var breaker = Opened();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(breaker.TryAcquire());

        breaker.RecordFailure();

        Assert.Equal(CircuitState.Open, breaker.State);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(breaker.TryAcquire());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.TryAcquire());
    }

    [Fact]
    public void A_released_probe_frees_the_slot_for_the_next_one()
    {
        var breaker = Opened();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(breaker.TryAcquire());

        breaker.Release();

        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.True(breaker.TryAcquire());
        Assert.False(breaker.TryAcquire());
    }

    [Fact]
    public void Releasing_a_call_on_a_closed_circuit_changes_nothing()
    {
        var breaker = new CircuitBreaker(s_settings, _time);
        Fail(breaker, 2);

        breaker.Release();
        Fail(breaker, 1);

        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public void A_late_success_from_before_the_break_does_not_close_an_open_circuit()
    {
        var breaker = Opened();

        breaker.RecordSuccess();

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.False(breaker.TryAcquire());
    }

    [Fact]
    public void Updated_settings_change_the_threshold_and_the_break_duration()
    {
        var breaker = new CircuitBreaker(s_settings, _time);

        breaker.Update(new BreakerSettings(1, TimeSpan.FromSeconds(2)));
        Fail(breaker, 1);

        Assert.Equal(CircuitState.Open, breaker.State);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void Nonsense_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CircuitBreaker(new BreakerSettings(0, TimeSpan.FromSeconds(1)), _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CircuitBreaker(s_settings, _time).Update(new BreakerSettings(1, TimeSpan.Zero)));
    }

    private CircuitBreaker Opened()
    {
        var breaker = new CircuitBreaker(s_settings, _time);
        Fail(breaker, s_settings.FailureThreshold);
        Assert.Equal(CircuitState.Open, breaker.State);
        return breaker;
    }

    private static void Fail(CircuitBreaker breaker, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(breaker.TryAcquire());
            breaker.RecordFailure();
        }
    }
}

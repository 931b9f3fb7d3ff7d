using Microsoft.Extensions.Time.Testing;
using SiteCraft.Ml.Inference.Routing;

namespace SiteCraft.Ml.Inference.Tests.Routing;

public sealed class RetryBudgetTests
{
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Fallbacks_may_add_the_ratio_of_primary_requests_and_no_more()
    {
        var budget = new RetryBudget(0.2, 0, s_window, _time);

        Record(budget, 100);

        Assert.Equal(20, Withdraw(budget, 100));
    }

    [Fact]
    public void The_per_second_minimum_allows_fallbacks_with_no_traffic()
    {
        var budget = new RetryBudget(0.2, 2, s_window, _time);

        Assert.Equal(20, Withdraw(budget, 100));
    }

    [Fact]
    public void Ratio_and_minimum_add_up()
    {
        var budget = new RetryBudget(0.1, 1, s_window, _time);

        Record(budget, 30);

        Assert.Equal(13, Withdraw(budget, 100));
    }

    [Fact]
    public void A_budget_without_ratio_or_minimum_allows_no_fallback()
    {
        var budget = new RetryBudget(0, 0, s_window, _time);

        Record(budget, 1_000);

        Assert.False(budget.TryWithdraw());
    }

    [Fact]
    public void Requests_older_than_the_window_no_longer_earn_fallbacks()
    {
        var budget = new RetryBudget(0.2, 0, s_window, _time);
        Record(budget, 100);

        _time.Advance(s_window);

        Assert.False(budget.TryWithdraw());
    }

    [Fact]
    public void The_window_slides_a_bucket_at_a_time()
    {
        var budget = new RetryBudget(0.2, 0, s_window, _time);
        Record(budget, 50);
        _time.Advance(TimeSpan.FromSeconds(5));
        Record(budget, 50);

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(10, Withdraw(budget, 100));
    }

    [Fact]
    public void Spent_fallbacks_leave_the_window_too()
    {
        var budget = new RetryBudget(0.2, 0, s_window, _time);
        Record(budget, 100);
        Assert.Equal(20, Withdraw(budget, 100));

        _time.Advance(s_window);
        Record(budget, 100);

        Assert.Equal(20, Withdraw(budget, 100));
    }

    [Fact]
    public void A_long_idle_spell_starts_the_window_afresh()
    {
        var budget = new RetryBudget(0.5, 0, s_window, _time);
        Record(budget, 10);

        _time.Advance(TimeSpan.FromHours(3));
        Record(budget, 4);

        Assert.Equal(2, Withdraw(budget, 100));
    }

    [Fact]
    public void Concurrent_withdrawals_never_overdraw_the_budget()
    {
        var budget = new RetryBudget(0.2, 0, s_window, _time);
        Record(budget, 1_000);

        var granted = 0;
        Parallel.For(0, 1_000, _ =>
        {
            if (budget.TryWithdraw())
            {
                Interlocked.Increment(ref granted);
            }
        });

        Assert.Equal(200, granted);
    }

    private static void Record(RetryBudget budget, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            budget.RecordRequest();
        }
    }

    private static int Withdraw(RetryBudget budget, int attempts)
    {
        var granted = 0;
        for (var i = 0; i < attempts; i++)
        {
            if (budget.TryWithdraw())
            {
                granted++;
            }
        }

        return granted;
    }
}

using SiteCraft.Ml.Inference.Routing;

namespace SiteCraft.Ml.Inference.Tests.Routing;

public sealed class CanaryGuardrailTests
{
    private static readonly GuardrailSettings s_settings = GuardrailSettings.Default;
    private static readonly ArmStats s_stable = new(1_000, 10, 1_000);

    [Theory]
    [InlineData(0)]
    [InlineData(199)]
    public void A_canary_with_fewer_samples_than_the_minimum_is_not_judged(int samples)
    {
        var decision = CanaryGuardrail.Evaluate(s_stable, new ArmStats(samples, samples, 99_000), s_settings);

        Assert.Equal(GuardrailVerdict.InsufficientData, decision.Verdict);
        Assert.Equal($"canary has {samples} samples, fewer than the 200 needed", decision.Reason);
    }

    [Fact]
    public void A_canary_at_the_minimum_sample_count_is_judged()
    {
        var decision = CanaryGuardrail.Evaluate(s_stable, new ArmStats(200, 200, 1_000), s_settings);

        Assert.Equal(GuardrailVerdict.Breach, decision.Verdict);
    }

    [Fact]
    public void An_error_rate_exactly_at_the_limit_is_healthy()
    {
        var decision = CanaryGuardrail.Evaluate(s_stable, new ArmStats(1_000, 30, 1_000), s_settings);

        Assert.Equal(GuardrailVerdict.Healthy, decision.Verdict);
        Assert.Equal("canary error rate 3.0% vs stable 1.0% (limit +2.0 points), p95 1000 ms is 1.00x stable 1000 ms (limit 1.50x) over 1000 canary samples", decision.Reason);
    }

    [Fact]
    public void An_error_rate_just_over_the_limit_breaches()
    {
        var decision = CanaryGuardrail.Evaluate(s_stable, new ArmStats(1_000, 31, 1_000), s_settings);

        Assert.Equal(GuardrailVerdict.Breach, decision.Verdict);
        Assert.Equal("canary error rate 3.1% exceeds stable 1.0% by 2.1 points (limit 2.0) over 1000 canary samples", decision.Reason);
    }

    [Fact]
    public void The_breach_reason_carries_the_numbers()
    {
        var decision = CanaryGuardrail.Evaluate(s_stable, new ArmStats(250, 30, 900), s_settings);

        Assert.Equal("canary error rate 12.0% exceeds stable 1.0% by 11.0 points (limit 2.0) over 250 canary samples", decision.Reason);
    }

    [Fact]
    public void A_p95_latency_exactly_at_the_limit_ratio_is_healthy()
    {
        var decision = CanaryGuardrail.Evaluate(s_stable, new ArmStats(1_000, 10, 1_500), s_settings);

        Assert.Equal(GuardrailVerdict.Healthy, decision.Verdict);
    }

    [Fact]
    public void A_p95_latency_just_over_the_limit_ratio_breaches()
    {
        var decision = CanaryGuardrail.Evaluate(s_stable, new ArmStats(1_000, 10, 1_510), s_settings);

        Assert.Equal(GuardrailVerdict.Breach, decision.Verdict);
        Assert.Equal("canary p95 latency 1510 ms is 1.51x stable 1000 ms (limit 1.50x) over 1000 canary samples", decision.Reason);
    }

    [Fact]
    public void Both_breaches_are_reported_together()
    {
        var decision = CanaryGuardrail.Evaluate(s_stable, new ArmStats(400, 40, 2_000), s_settings);

        Assert.Equal(GuardrailVerdict.Breach, decision.Verdict);
        Assert.Equal(
            "canary error rate 10.0% exceeds stable 1.0% by 9.0 points (limit 2.0); canary p95 latency 2000 ms is 2.00x stable 1000 ms (limit 1.50x) over 400 canary samples",
            decision.Reason);
    }

    [Fact]
    public void Without_a_stable_p95_latency_only_the_error_rate_is_judged()
    {
        var decision = CanaryGuardrail.Evaluate(new ArmStats(0, 0, 0), new ArmStats(300, 3, 60_000), s_settings);

        Assert.Equal(GuardrailVerdict.Healthy, decision.Verdict);
        Assert.Contains("stable has no p95 latency to compare", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_better_canary_is_healthy()
    {
        var decision = CanaryGuardrail.Evaluate(s_stable, new ArmStats(500, 0, 400), s_settings);

        Assert.Equal(GuardrailVerdict.Healthy, decision.Verdict);
    }

    [Theory]
    [InlineData(0, 0, 0.0)]
    [InlineData(200, 3, 0.015)]
    public void The_error_rate_is_errors_over_samples_or_0_without_samples(int samples, int errors, double rate)
    {
        Assert.Equal(rate, new ArmStats(samples, errors, 0).ErrorRate, 1e-12);
    }
}

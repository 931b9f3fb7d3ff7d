using SiteCraft.Ml.Inference.Routing;
using SiteCraft.Ml.ServiceDefaults.Grpc;

namespace SiteCraft.Ml.Inference.Tests.Routing;

public sealed class PolicyValidatorTests
{
    private static readonly HashSet<(string, string)> s_catalog =
    [
        ("openai", "gpt-4o-mini"),
        ("openai", "gpt-4o"),
        ("anthropic", "claude-3-5-haiku-latest"),
        ("sitecraft-local", "sitecraft-base@1"),
    ];

    private static readonly PolicyDraft s_valid = new(
        [new PolicyArm("openai", "gpt-4o-mini", 95, ArmRole.Stable), new PolicyArm("anthropic", "claude-3-5-haiku-latest", 5, ArmRole.Canary)],
        [new RouteTarget("anthropic", "claude-3-5-haiku-latest"), new RouteTarget("sitecraft-local", "sitecraft-base@1")],
        PolicySettings.Default,
        null);

    [Fact]
    public void A_sound_draft_has_no_violations()
    {
        Assert.Empty(Validate(s_valid));
    }

    [Fact]
    public void Every_problem_is_reported_with_its_field()
    {
        var draft = new PolicyDraft(
            [
                new PolicyArm("", "gpt-4o-mini", 50, ArmRole.Stable),
                new PolicyArm("openai", " ", double.NaN, ArmRole.Stable),
                new PolicyArm("openai", "gpt-x", -1, ArmRole.Canary),
                new PolicyArm("anthropic", "claude-3-5-haiku-latest", 10, ArmRole.Canary),
                new PolicyArm("anthropic", "claude-3-5-haiku-latest", 0, ArmRole.Stable),
            ],
            [new RouteTarget("openai", ""), new RouteTarget("openai", "gpt-4o"), new RouteTarget("openai", "gpt-4o")],
            new PolicySettings(
                TimeSpan.FromMilliseconds(50),
                new GuardrailSettings(0, 1.5, 0.9, TimeSpan.Zero),
                new BreakerSettings(0, TimeSpan.FromMinutes(11))),
            null);

        var fields = Validate(draft).Select(violation => violation.Field);

        Assert.Equal(
            [
                "arms[0].provider",
                "arms[1].model",
                "arms[1].weight",
                "arms[2].model",
                "arms[2].weight",
                "arms[4]",
                "fallback[0].model",
                "fallback[2]",
                "settings.attempt_timeout_ms",
                "settings.guardrails.min_samples",
                "settings.guardrails.max_error_rate_delta",
                "settings.guardrails.max_p95_latency_ratio",
                "settings.guardrails.window_seconds",
                "settings.breaker.failure_threshold",
                "settings.breaker.break_duration_ms",
            ],
            fields);
    }

    [Fact]
    public void An_unknown_model_is_named_with_its_provider()
    {
        var draft = s_valid with { Arms = [new PolicyArm("openai", "gpt-x", 100, ArmRole.Stable)], Fallback = [new RouteTarget("mistral", "small")] };

        Assert.Equal(
            [new FieldViolation("arms[0].model", "unknown model openai/gpt-x"), new FieldViolation("fallback[0].model", "unknown model mistral/small")],
            Validate(draft));
    }

    [Fact]
    public void A_draft_without_arms_is_refused()
    {
        Assert.Equal([new FieldViolation("arms", "at least one arm is required")], Validate(s_valid with { Arms = [] }));
    }

    [Fact]
    public void Arms_that_all_weigh_0_are_refused_for_having_no_traffic_and_no_stable_traffic()
    {
        var draft = s_valid with { Arms = [new PolicyArm("openai", "gpt-4o-mini", 0, ArmRole.Stable)] };

        Assert.Equal(
            [new FieldViolation("arms", "at least one arm needs a weight above 0"), new FieldViolation("arms", "at least one stable arm needs a weight above 0")],
            Validate(draft));
    }

    [Fact]
    public void A_canary_alone_is_refused_because_a_stable_arm_must_carry_traffic()
    {
        var draft = s_valid with
        {
            Arms = [new PolicyArm("openai", "gpt-4o-mini", 0, ArmRole.Stable), new PolicyArm("anthropic", "claude-3-5-haiku-latest", 100, ArmRole.Canary)],
        };

        Assert.Equal([new FieldViolation("arms", "at least one stable arm needs a weight above 0")], Validate(draft));
    }

    [Fact]
    public void Duplicates_name_the_entry_they_repeat()
    {
        var draft = s_valid with
        {
            Arms = [new PolicyArm("openai", "gpt-4o-mini", 50, ArmRole.Stable), new PolicyArm("openai", "gpt-4o-mini", 50, ArmRole.Canary)],
            Fallback = [new RouteTarget("openai", "gpt-4o"), new RouteTarget("openai", "gpt-4o")],
        };

        Assert.Equal(
            [
                new FieldViolation("arms[1]", "duplicate of arms[0] (openai/gpt-4o-mini)"),
                new FieldViolation("fallback[1]", "duplicate of fallback[0] (openai/gpt-4o)"),
            ],
            Validate(draft));
    }

    [Fact]
    public void A_fallback_entry_may_repeat_an_arm_because_candidates_skip_it()
    {
        var draft = s_valid with { Fallback = [new RouteTarget("openai", "gpt-4o-mini")] };

        Assert.Empty(Validate(draft));
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(600_000, true)]
    [InlineData(99, false)]
    [InlineData(600_001, false)]
    public void The_attempt_timeout_lies_between_100_ms_and_10_minutes(int milliseconds, bool valid)
    {
        var draft = s_valid with { Settings = s_valid.Settings with { AttemptTimeout = TimeSpan.FromMilliseconds(milliseconds) } };

        Assert.Equal(valid ? [] : ["settings.attempt_timeout_ms"], Validate(draft).Select(violation => violation.Field));
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(600_000, true)]
    [InlineData(99, false)]
    [InlineData(600_001, false)]
    public void The_break_duration_lies_between_100_ms_and_10_minutes(int milliseconds, bool valid)
    {
        var draft = s_valid with { Settings = s_valid.Settings with { Breaker = new BreakerSettings(1, TimeSpan.FromMilliseconds(milliseconds)) } };

        Assert.Equal(valid ? [] : ["settings.breaker.break_duration_ms"], Validate(draft).Select(violation => violation.Field));
    }

    [Theory]
    [InlineData(1, 0.0, 1.0, true)]
    [InlineData(1, 1.0, 1.0, true)]
    [InlineData(0, 0.0, 1.0, false)]
    [InlineData(1, -0.01, 1.0, false)]
    [InlineData(1, 1.01, 1.0, false)]
    [InlineData(1, 0.0, 0.99, false)]
    public void Guardrails_need_a_sample_an_error_delta_in_0_to_1_and_a_latency_ratio_of_at_least_1(int minSamples, double maxDelta, double maxRatio, bool valid)
    {
        var guardrails = new GuardrailSettings(minSamples, maxDelta, maxRatio, TimeSpan.FromMinutes(15));
        var draft = s_valid with { Settings = s_valid.Settings with { Guardrails = guardrails } };

        Assert.Equal(valid, Validate(draft).Count == 0);
    }

    private static IReadOnlyList<FieldViolation> Validate(PolicyDraft draft) =>
        PolicyValidator.Validate(draft, (provider, model) => s_catalog.Contains((provider, model)));
}

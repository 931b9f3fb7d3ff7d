using CsCheck;
using SiteCraft.Ml.Inference.Routing;

namespace SiteCraft.Ml.Inference.Tests.Routing;

public sealed class PolicyJsonTests
{
    [Fact]
    public void The_staging_overlay_settings_parse_and_missing_keys_take_defaults()
    {
        const string Json = """{"attempt_timeout_ms": 20000, "guardrails": {"min_samples": 200, "max_error_rate_delta": 0.02, "max_p95_latency_ratio": 1.5}}""";

        var settings = PolicyJson.ParseSettings(Json);

        Assert.Equal(TimeSpan.FromSeconds(20), settings.AttemptTimeout);
        Assert.Equal(new GuardrailSettings(200, 0.02, 1.5, TimeSpan.FromMinutes(15)), settings.Guardrails);
        Assert.Equal(BreakerSettings.Default, settings.Breaker);
    }

    [Fact]
    public void An_empty_settings_object_is_the_defaults()
    {
        var settings = PolicyJson.ParseSettings("{}");

        Assert.Equal(PolicySettings.Default, settings);
        Assert.Equal(new PolicySettings(TimeSpan.FromSeconds(30), new(200, 0.02, 1.5, TimeSpan.FromMinutes(15)), new(5, TimeSpan.FromSeconds(10))), settings);
    }

    [Fact]
    public void Every_settings_key_is_read()
    {
        const string Json = """
            {"attempt_timeout_ms": 1500, "guardrails": {"min_samples": 50, "max_error_rate_delta": 0.05, "max_p95_latency_ratio": 2, "window_seconds": 300},
             "breaker": {"failure_threshold": 3, "break_duration_ms": 2500}}
            """;

        var settings = PolicyJson.ParseSettings(Json);

        Assert.Equal(
            new PolicySettings(TimeSpan.FromMilliseconds(1500), new(50, 0.05, 2, TimeSpan.FromMinutes(5)), new(3, TimeSpan.FromMilliseconds(2500))),
            settings);
    }

    [Fact]
    public void Arms_and_fallback_parse_from_the_database_shape()
    {
        const string Arms = """[{"provider": "openai", "model": "gpt-4o-mini", "weight": 90, "role": "stable"}, {"provider": "anthropic", "model": "claude-3-5-haiku-latest", "weight": 10.5, "role": "canary"}]""";
        const string Fallback = """[{"provider": "anthropic", "model": "claude-3-5-haiku-latest"}, {"provider": "sitecraft-local", "model": "sitecraft-base@1"}]""";

        Assert.Equal(
            [new PolicyArm("openai", "gpt-4o-mini", 90, ArmRole.Stable), new PolicyArm("anthropic", "claude-3-5-haiku-latest", 10.5, ArmRole.Canary)],
            PolicyJson.ParseArms(Arms));
        Assert.Equal(
            [new RouteTarget("anthropic", "claude-3-5-haiku-latest"), new RouteTarget("sitecraft-local", "sitecraft-base@1")],
            PolicyJson.ParseFallback(Fallback));
    }

    [Fact]
    public void Roles_are_written_in_lower_case_as_the_database_check_requires()
    {
        var json = PolicyJson.ArmsToJson([new PolicyArm("openai", "gpt-4o-mini", 95, ArmRole.Stable), new PolicyArm("anthropic", "claude-3-5-haiku-latest", 5, ArmRole.Canary)]);

        Assert.Equal(
            """[{"provider":"openai","model":"gpt-4o-mini","weight":95,"role":"stable"},{"provider":"anthropic","model":"claude-3-5-haiku-latest","weight":5,"role":"canary"}]""",
            json);
    }

    [Fact]
    public void Settings_are_written_with_every_key_in_snake_case()
    {
        var json = PolicyJson.SettingsToJson(PolicySettings.Default);

        Assert.Equal(
            """{"attempt_timeout_ms":30000,"guardrails":{"min_samples":200,"max_error_rate_delta":0.02,"max_p95_latency_ratio":1.5,"window_seconds":900},"breaker":{"failure_threshold":5,"break_duration_ms":10000}}""",
            json);
    }

    [Fact]
    public void Arms_fallback_and_settings_survive_a_round_trip()
    {
        var name = Gen.Char["abcxyz-._/@ \"\\é"].Array[1, 12].Select(chars => new string(chars));
        var arm = Gen.Select(name, name, Gen.Double[0, 1000], Gen.Enum<ArmRole>(), (provider, model, weight, role) => new PolicyArm(provider, model, weight, role));
        var target = Gen.Select(name, name, (provider, model) => new RouteTarget(provider, model));
        var settings = Gen.Select(
            Gen.Int[100, 600_000],
            Gen.Select(Gen.Int[1, 10_000], Gen.Double[0, 1], Gen.Double[1, 10], Gen.Int[1, 86_400]),
            Gen.Select(Gen.Int[1, 100], Gen.Int[100, 600_000]),
            (timeoutMs, g, b) => new PolicySettings(
                TimeSpan.FromMilliseconds(timeoutMs),
                new GuardrailSettings(g.Item1, g.Item2, g.Item3, TimeSpan.FromSeconds(g.Item4)),
                new BreakerSettings(b.Item1, TimeSpan.FromMilliseconds(b.Item2))));

        Gen.Select(arm.Array[0, 5], target.Array[0, 5], settings).Sample(
            (arms, fallback, policySettings) =>
            {
                Assert.Equal(arms, PolicyJson.ParseArms(PolicyJson.ArmsToJson(arms)));
                Assert.Equal(fallback, PolicyJson.ParseFallback(PolicyJson.FallbackToJson(fallback)));
                Assert.Equal(policySettings, PolicyJson.ParseSettings(PolicyJson.SettingsToJson(policySettings)));
            },
            iter: 300);
    }

    [Theory]
    [InlineData("""{"provider": "openai", "model": "gpt-4o-mini", "weight": "90", "role": "stable"}""", "arms[1].weight")]
    [InlineData("""{"provider": "openai", "weight": 90, "role": "stable"}""", "arms[1].model")]
    [InlineData("""{"provider": 7, "model": "gpt-4o-mini", "weight": 90, "role": "stable"}""", "arms[1].provider")]
    [InlineData("""{"provider": "openai", "model": "gpt-4o-mini", "weight": 90, "role": "primary"}""", "arms[1].role")]
    [InlineData("""{"provider": "openai", "model": "gpt-4o-mini", "weight": 90, "role": "Stable"}""", "arms[1].role")]
    [InlineData("""["openai", "gpt-4o-mini"]""", "arms[1]")]
    public void A_badly_shaped_arm_is_refused_naming_its_field(string secondArm, string field)
    {
        var json = $$"""[{"provider": "openai", "model": "gpt-4o", "weight": 10, "role": "stable"}, {{secondArm}}]""";

        var error = Assert.Throws<FormatException>(() => PolicyJson.ParseArms(json));

        Assert.StartsWith(field + " ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"provider": "openai"}""", "fallback[0].model")]
    [InlineData("""{"provider": "openai", "model": null}""", "fallback[0].model")]
    public void A_badly_shaped_fallback_entry_is_refused_naming_its_field(string entry, string field)
    {
        var error = Assert.Throws<FormatException>(() => PolicyJson.ParseFallback($"[{entry}]"));

        Assert.StartsWith(field + " ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"attempt_timeout_ms": "20s"}""", "settings.attempt_timeout_ms")]
    [InlineData("""{"guardrails": {"min_samples": 20.5}}""", "settings.guardrails.min_samples")]
    [InlineData("""{"guardrails": {"max_p95_latency_ratio": true}}""", "settings.guardrails.max_p95_latency_ratio")]
    [InlineData("""{"guardrails": []}""", "settings.guardrails")]
    [InlineData("""{"breaker": {"break_duration_ms": 1e300}}""", "settings.breaker.break_duration_ms")]
    [InlineData("""[]""", "settings")]
    public void A_badly_shaped_setting_is_refused_naming_its_field(string json, string field)
    {
        var error = Assert.Throws<FormatException>(() => PolicyJson.ParseSettings(json));

        Assert.StartsWith(field + " ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_settings_keys_take_defaults_like_missing_ones()
    {
        var settings = PolicyJson.ParseSettings("""{"attempt_timeout_ms": null, "breaker": {"failure_threshold": null, "break_duration_ms": 500}}""");

        Assert.Equal(PolicySettings.Default with { Breaker = new BreakerSettings(5, TimeSpan.FromMilliseconds(500)) }, settings);
    }

    [Fact]
    public void Text_that_is_not_json_is_a_format_error_naming_the_column()
    {
        var error = Assert.Throws<FormatException>(() => PolicyJson.ParseArms("[{"));

        Assert.StartsWith("arms is not valid JSON", error.Message, StringComparison.Ordinal);
    }
}

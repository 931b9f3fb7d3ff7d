using SiteCraft.Ml.Inference.V1;
using static SiteCraft.Ml.IntegrationTests.Inference.InferenceScope;

namespace SiteCraft.Ml.IntegrationTests.Inference;

[Collection(PlatformTestGroup.Name)]
public sealed class ResilienceTests(PlatformFixture platform)
{
    private const string UseCase = "site.section.copy";

    [Fact]
    public async Task Canary_rolls_back_automatically_when_its_error_rate_breaches_the_guardrail()
    {
        await using var scope = await CreateAsync(platform);
        var stableOnly = await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")]);
        var settings = new { guardrails = new { min_samples = 5, max_error_rate_delta = 0.05, max_p95_latency_ratio = 10, window_seconds = 600 } };
        await scope.ActivateAsync(UseCase,
            [Arm(OpenAIProvider, "echo", 50), Arm(AnthropicProvider, "status-500", 50, "canary")],
            [Target(OpenAIProvider, "echo")],
            settings);

        // Users keep getting answers: failed canary attempts fall back to stable.
        for (var i = 0; i < 40; i++)
        {
            var response = await scope.Client.GenerateAsync(scope.Request(UseCase, "copy", site: $"site-{i}"), deadline: DateTime.UtcNow.AddSeconds(10));
            Assert.Equal(OpenAIProvider, response.Provider);
        }

        Assert.True(scope.Anthropic.RequestCount >= 5, $"only {scope.Anthropic.RequestCount} canary attempts");
        await scope.WaitForPolicyAsync(UseCase, stableOnly, TimeSpan.FromSeconds(20));
        var rollback = await scope.Db.StringsAsync(
            $"select actor || ' ' || reason from ai_routing_events where environment = '{scope.Environment}' and event_type = 'auto_rollback'");
        Assert.Contains("canary-guardrail", Assert.Single(rollback));
        Assert.Contains("error rate", rollback[0]);
    }

    [Fact]
    public async Task Circuit_breaker_opens_after_consecutive_failures_and_skips_the_provider()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(AnthropicProvider, "status-500")], [Target(OpenAIProvider, "echo")],
            new { breaker = new { failure_threshold = 3, break_duration_ms = 60_000 } });

        for (var i = 0; i < 8; i++)
        {
            var response = await scope.Client.GenerateAsync(scope.Request(UseCase, "copy"), deadline: DateTime.UtcNow.AddSeconds(10));
            Assert.Equal(OpenAIProvider, response.Provider);
        }

        // Three failures open the breaker; the remaining five requests never reach the failing provider.
        Assert.Equal(3, scope.Anthropic.RequestCount);
        var providers = await scope.Client.ListProvidersAsync(new ListProvidersRequest { Environment = scope.Environment });
        Assert.Equal("open", providers.Providers.Single(p => p.Provider == AnthropicProvider).Circuit);
    }
}

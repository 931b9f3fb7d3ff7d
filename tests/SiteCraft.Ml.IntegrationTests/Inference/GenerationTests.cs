using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SiteCraft.Ml.Inference.V1;
using static SiteCraft.Ml.IntegrationTests.Inference.InferenceScope;
using V1Arm = SiteCraft.Ml.Inference.V1.Arm;

namespace SiteCraft.Ml.IntegrationTests.Inference;

[Collection(PlatformTestGroup.Name)]
public sealed class GenerationTests(PlatformFixture platform)
{
    private const string UseCase = "site.section.copy";

    [Fact]
    public async Task Unary_generation_is_answered_by_the_policy_arm_priced_and_recorded()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")]);

        var response = await scope.Client.GenerateAsync(
            scope.Request(UseCase, "write a headline", configure: r => r.TrainingConsent = true),
            deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal("echo: write a headline", response.Text);
        Assert.Equal(OpenAIProvider, response.Provider);
        Assert.Equal(V1Arm.Stable, response.Arm);
        Assert.Equal(1, response.Attempt);
        Assert.Equal("stop", response.FinishReason);
        Assert.True(response.Usage.InputTokens > 0 && response.Usage.OutputTokens == 4, $"usage {response.Usage}");
        var expectedCost = ((response.Usage.InputTokens * 1.0) + (response.Usage.OutputTokens * 2.0)) / 1_000_000;
        Assert.Equal(expectedCost, response.CostUsd, 12);

        var rows = await scope.WaitForEventsAsync(1);
        var row = Assert.Single(rows);
        Assert.Equal(response.GenerationId, row.GenerationId);
        Assert.Equal(("ok", "stable", (short)1), (row.Status, row.Arm, row.Attempt));
        Assert.Equal(response.Usage.OutputTokens, row.OutputTokens);
        Assert.Equal((decimal)expectedCost, row.CostUsd);
        // Consent and a capturing environment: bodies are kept, with their hashes.
        Assert.Contains("write a headline", row.Prompt);
        Assert.Equal("echo: write a headline", row.Completion);
        Assert.Matches("^[0-9a-f]{64}$", row.CompletionSha256!);
    }

    [Fact]
    public async Task Without_consent_only_the_hashes_of_the_bodies_are_stored()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")]);

        await scope.Client.GenerateAsync(scope.Request(UseCase, "private brief"), deadline: DateTime.UtcNow.AddSeconds(10));

        var row = Assert.Single(await scope.WaitForEventsAsync(1));
        Assert.Null(row.Prompt);
        Assert.Null(row.Completion);
        Assert.Matches("^[0-9a-f]{64}$", row.PromptSha256!);
        Assert.Matches("^[0-9a-f]{64}$", row.CompletionSha256!);
    }

    [Fact]
    public async Task Streaming_generation_sends_started_then_deltas_then_completed()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")]);

        var events = await ReadAllAsync(scope.Client.GenerateStream(scope.Request(UseCase, "one two three"), deadline: DateTime.UtcNow.AddSeconds(10)));

        Assert.Equal(GenerateEvent.EventOneofCase.Started, events[0].EventCase);
        Assert.Equal(OpenAIProvider, events[0].Started.Provider);
        var text = string.Concat(events.Where(e => e.EventCase == GenerateEvent.EventOneofCase.Delta).Select(e => e.Delta.Text));
        Assert.Equal("echo: one two three", text);
        var completed = events[^1];
        Assert.Equal(GenerateEvent.EventOneofCase.Completed, completed.EventCase);
        Assert.Equal("stop", completed.Completed.FinishReason);
        Assert.True(completed.Completed.Latency.Total.ToTimeSpan() >= completed.Completed.Latency.TimeToFirstToken.ToTimeSpan());
        var row = Assert.Single(await scope.WaitForEventsAsync(1));
        Assert.Equal("ok", row.Status);
    }

    [Fact]
    public async Task Anthropic_provider_answers_unary_and_streaming_requests()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(AnthropicProvider, "echo")]);

        var unary = await scope.Client.GenerateAsync(scope.Request(UseCase, "hello there"), deadline: DateTime.UtcNow.AddSeconds(10));
        var streamed = await ReadAllAsync(scope.Client.GenerateStream(scope.Request(UseCase, "hello again"), deadline: DateTime.UtcNow.AddSeconds(10)));

        Assert.Equal("echo: hello there", unary.Text);
        Assert.Equal(AnthropicProvider, unary.Provider);
        Assert.Equal("echo: hello again", string.Concat(streamed.Where(e => e.Delta is not null).Select(e => e.Delta.Text)));
        Assert.Equal(GenerateEvent.EventOneofCase.Completed, streamed[^1].EventCase);
        Assert.Equal(2, scope.Anthropic.RequestCount);
        Assert.All(scope.Anthropic.Requests, r => Assert.Equal(PlatformFixture.TestProviderKey, r.ApiKey));
    }

    [Theory]
    [InlineData("status-500", "http_500")]
    [InlineData("status-429", "rate_limited")]
    [InlineData("delay-3000", "timeout")]
    public async Task A_retryable_failure_falls_back_along_the_chain(string failingModel, string errorType)
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, failingModel)], [Target(AnthropicProvider, "echo")],
            new { attempt_timeout_ms = 500 });

        var response = await scope.Client.GenerateAsync(scope.Request(UseCase, "fallback please"), deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(AnthropicProvider, response.Provider);
        Assert.Equal(V1Arm.Fallback, response.Arm);
        Assert.Equal(2, response.Attempt);
        var rows = await scope.WaitForEventsAsync(2);
        Assert.Equal(2, rows.Count);
        Assert.Equal(("error", errorType, (short)1), (rows[0].Status, rows[0].ErrorType, rows[0].Attempt));
        Assert.Equal(("ok", "fallback", errorType), (rows[1].Status, rows[1].Arm, rows[1].FallbackReason));
        Assert.Equal(rows[0].GenerationId, rows[1].GenerationId);
    }

    [Fact]
    public async Task Streaming_falls_back_before_the_first_token()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "status-503")], [Target(OpenAIProvider, "echo")]);

        var events = await ReadAllAsync(scope.Client.GenerateStream(scope.Request(UseCase, "stream it"), deadline: DateTime.UtcNow.AddSeconds(10)));

        var started = Assert.Single(events, e => e.EventCase == GenerateEvent.EventOneofCase.Started).Started;
        Assert.Equal((2, V1Arm.Fallback, "echo"), (started.Attempt, started.Arm, started.Model));
        Assert.Equal(GenerateEvent.EventOneofCase.Completed, events[^1].EventCase);
    }

    [Fact]
    public async Task Streaming_never_falls_back_after_the_first_token_and_ends_with_an_error_event()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "fail-after-2")], [Target(AnthropicProvider, "echo")]);

        var events = await ReadAllAsync(scope.Client.GenerateStream(scope.Request(UseCase, "a b c d e f"), deadline: DateTime.UtcNow.AddSeconds(10)));

        Assert.Equal(GenerateEvent.EventOneofCase.Started, events[0].EventCase);
        Assert.Equal(2, events.Count(e => e.EventCase == GenerateEvent.EventOneofCase.Delta));
        var error = events[^1];
        Assert.Equal(GenerateEvent.EventOneofCase.Error, error.EventCase);
        Assert.Equal("UNAVAILABLE", error.Error.Code);
        Assert.Contains("after the first token", error.Error.Message);
        Assert.Equal(0, scope.Anthropic.RequestCount);
        var row = Assert.Single(await scope.WaitForEventsAsync(1));
        Assert.Equal("error", row.Status);
    }

    [Fact]
    public async Task Every_candidate_failing_is_unavailable_with_each_attempt_named()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "status-500")], [Target(AnthropicProvider, "status-503")]);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            scope.Client.GenerateAsync(scope.Request(UseCase, "doomed"), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("test-openai/status-500", error.Status.Detail);
        Assert.Contains("test-anthropic/status-503", error.Status.Detail);
        Assert.Equal(2, (await scope.WaitForEventsAsync(2)).Count(r => r.Status == "error"));
    }

    [Fact]
    public async Task A_repeated_request_id_is_answered_once()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")]);
        var request = scope.Request(UseCase, "only once", configure: r => r.RequestId = "req-" + Guid.NewGuid().ToString("N"));

        var first = await scope.Client.GenerateAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));
        var second = await scope.Client.GenerateAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(first.GenerationId, second.GenerationId);
        Assert.Equal(1, scope.OpenAI.RequestCount);
    }

    [Fact]
    public async Task A_pinned_route_needs_the_admin_token_and_then_bypasses_the_policy()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")], [Target(AnthropicProvider, "words-3")]);
        var request = scope.Request(UseCase, "pin me", configure: r => r.Routing = new RoutingHints
        {
            Pinned = new PinnedRoute { Provider = AnthropicProvider, Model = "words-3" },
        });

        var refused = await Assert.ThrowsAsync<RpcException>(() => scope.Client.GenerateAsync(request, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
        var pinned = await scope.Client.GenerateAsync(request, scope.AdminHeaders, DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal((AnthropicProvider, V1Arm.Pinned), (pinned.Provider, pinned.Arm));
        Assert.Equal("w1 w2 w3", pinned.Text);
    }

    [Fact]
    public async Task A_cost_limit_below_every_candidate_is_resource_exhausted()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")]);

        var error = await Assert.ThrowsAsync<RpcException>(() => scope.Client.GenerateAsync(
            scope.Request(UseCase, "too dear", configure: r => r.Routing = new RoutingHints { MaxCostUsd = 0.0000001 }),
            deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("max_cost_usd", error.Status.Detail);
        Assert.Equal(0, scope.OpenAI.RequestCount);
    }

    [Fact]
    public async Task List_providers_reports_a_provider_without_its_key_as_disabled_with_the_reason()
    {
        await using var scope = await CreateAsync(platform);

        var development = await scope.Client.ListProvidersAsync(new ListProvidersRequest { Environment = "development" });
        var test = await scope.Client.ListProvidersAsync(new ListProvidersRequest { Environment = scope.Environment });

        var openai = Assert.Single(development.Providers, p => p.Provider == "openai");
        Assert.False(openai.Enabled);
        Assert.Contains("Providers:openai:ApiKey", openai.DisabledReason);
        Assert.Contains(openai.Models, m => m.Model == "gpt-4o-mini" && m.InputUsdPerMtok > 0);
        Assert.All(test.Providers, p => Assert.True(p.Enabled, p.DisabledReason));

        using var http = new HttpClient { BaseAddress = platform.App.GetEndpoint("inference", "http") };
        var health = await http.GetStringAsync("/health");
        Assert.Contains("\"development/openai\":\"disabled: no API key: set configuration key Providers:openai:ApiKey\"", health);
    }

    [Fact]
    public async Task The_dashboard_commands_promote_and_roll_back_through_the_admin_api()
    {
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();

        var promote = await commands.ExecuteCommandAsync("inference", "promote-canary");
        var rollBack = await commands.ExecuteCommandAsync("inference", "roll-back-policy");

        // The development overlay has no canary and no earlier version: both succeed and change nothing.
        Assert.True(promote.Success, promote.Message);
        Assert.True(rollBack.Success, rollBack.Message);
        Assert.Equal(1, await CountDevelopmentPoliciesAsync());
    }

    private async Task<long> CountDevelopmentPoliciesAsync()
    {
        await using var db = await platform.OpenDatabaseAsync();
        return await db.ScalarAsync<long>("select count(*) / 3 from ai_routing_policies where environment = 'development'");
    }

    internal static async Task<List<GenerateEvent>> ReadAllAsync(AsyncServerStreamingCall<GenerateEvent> call)
    {
        using (call)
        {
            var events = new List<GenerateEvent>();
            await foreach (var item in call.ResponseStream.ReadAllAsync())
            {
                events.Add(item);
            }

            return events;
        }
    }
}

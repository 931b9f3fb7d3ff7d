using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using static SiteCraft.Ml.IntegrationTests.Inference.InferenceScope;

namespace SiteCraft.Ml.IntegrationTests.Inference;

[Collection(PlatformTestGroup.Name)]
public sealed class RoutingAdminTests(PlatformFixture platform)
{
    private const string UseCase = "site.page.json";

    [Fact]
    public async Task A_published_policy_reaches_the_service_within_a_second()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")], [Target(AnthropicProvider, "echo")]);

        var clock = Stopwatch.StartNew();
        var published = await PublishAsync(scope, new { arms = new[] { Arm(AnthropicProvider, "echo") } });
        var version = published["version"]!.GetValue<int>();
        while ((await scope.ExplainAsync(UseCase, "t", "s"))["policy_version"]!.GetValue<int>() != version)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"v{version} not routed after {clock.ElapsedMilliseconds} ms");
            await Task.Delay(10);
        }

        var response = await scope.Client.GenerateAsync(scope.Request(UseCase, "after publish"), deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal((AnthropicProvider, version), (response.Provider, response.PolicyVersion));
    }

    [Fact]
    public async Task Publishing_an_invalid_policy_is_refused_with_every_problem_named()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")]);

        using var response = await scope.Admin.PostAsJsonAsync(
            $"/admin/routing/{scope.Environment}/{UseCase}/policies",
            new { arms = new[] { Arm(OpenAIProvider, "no-such-model", 0), Arm("", "x", -1) } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        var errors = problem["errors"]!.AsObject();
        Assert.Contains(errors, e => e.Key.StartsWith("arms[0]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key.StartsWith("arms[1]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Admin_routes_refuse_a_caller_without_the_token()
    {
        await using var scope = await CreateAsync(platform);
        using var anonymous = new HttpClient { BaseAddress = scope.Admin.BaseAddress };

        using var response = await anonymous.GetAsync($"/admin/routing/{scope.Environment}/{UseCase}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_gated_environment_refuses_a_policy_whose_model_has_no_passing_gate_and_accepts_it_after_one()
    {
        await using var scope = await CreateAsync(platform, gated: true);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")]);

        using var refused = await scope.Admin.PostAsJsonAsync($"/admin/routing/{scope.Environment}/{UseCase}/policies",
            new { arms = new[] { Arm(OpenAIProvider, "echo") } });
        var problem = (await refused.Content.ReadFromJsonAsync<JsonNode>())!;
        var generateError = await Assert.ThrowsAsync<RpcException>(() =>
            scope.Client.GenerateAsync(scope.Request(UseCase, "gated"), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"{OpenAIProvider}/echo", problem["detail"]!.GetValue<string>());
        Assert.Equal(StatusCode.FailedPrecondition, generateError.StatusCode);
        Assert.Contains("eval gate", generateError.Status.Detail);

        await InsertGateAsync(scope, UseCase, OpenAIProvider, "echo", passed: true);
        var published = await PublishAsync(scope, new { arms = new[] { Arm(OpenAIProvider, "echo") } });
        await scope.WaitForPolicyAsync(UseCase, published["policy_id"]!.GetValue<long>());
        var served = await scope.Client.GenerateAsync(scope.Request(UseCase, "gated"), deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(OpenAIProvider, served.Provider);
    }

    [Fact]
    public async Task Canary_share_promote_and_rollback_each_publish_a_version_with_an_audit_event()
    {
        await using var scope = await CreateAsync(platform);
        var v1 = await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo", 95), Arm(AnthropicProvider, "echo", 5, "canary")]);

        var widened = await PostAsync(scope, "canary", new { share_percent = 20 });
        var canaryWeight = widened["arms"]!.AsArray().Single(a => a!["role"]!.GetValue<string>() == "canary")!["weight"]!.GetValue<double>();
        var promoted = await PostAsync(scope, "promote", new { });
        var promotedArms = promoted["arms"]!.AsArray();
        var rolledBack = await PostAsync(scope, "rollback", new { reason = "test" });

        Assert.Equal(20, canaryWeight, 6);
        Assert.Equal(AnthropicProvider, Assert.Single(promotedArms)!["provider"]!.GetValue<string>());
        Assert.Equal(widened["policy_id"]!.GetValue<long>(), rolledBack["policy_id"]!.GetValue<long>());
        var events = await scope.Db.StringsAsync(
            $"select event_type from ai_routing_events where environment = '{scope.Environment}' order by id");
        Assert.Equal(["canary_change", "promote", "rollback"], events);
        Assert.NotEqual(v1, widened["policy_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Explain_names_the_sticky_arm_and_the_candidates_it_would_skip()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")], [Target("openai", "gpt-4o-mini")]);

        var explained = await scope.ExplainAsync(UseCase, "tenant-9", "site-9");

        Assert.Equal(OpenAIProvider, explained["attempts"]![0]!["provider"]!.GetValue<string>());
        var skipped = Assert.Single(explained["skipped"]!.AsArray());
        Assert.Contains("not configured for this environment", skipped!["reason"]!.GetValue<string>());
    }

    private static async Task<JsonNode> PublishAsync(InferenceScope scope, object body)
    {
        using var response = await scope.Admin.PostAsJsonAsync($"/admin/routing/{scope.Environment}/{UseCase}/policies", body);
        var json = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToJsonString());
        return json;
    }

    private static async Task<JsonNode> PostAsync(InferenceScope scope, string action, object body)
    {
        using var response = await scope.Admin.PostAsJsonAsync($"/admin/routing/{scope.Environment}/{UseCase}/{action}", body);
        var json = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.True(response.IsSuccessStatusCode, $"{action}: {(int)response.StatusCode} {json.ToJsonString()}");
        return json;
    }

    internal static async Task InsertGateAsync(InferenceScope scope, string useCase, string provider, string model, bool passed)
    {
        await using var command = scope.Db.DataSource.CreateCommand(
            """
            with run as (
                insert into ai_eval_runs (use_case, target_provider, target_model, environment, status)
                values ($1, $2, $3, $4, 'completed') returning run_id
            )
            insert into ai_eval_gates (use_case, environment, provider, model, run_id, passed, reasons)
            select $1, $4, $2, $3, run_id, $5, '[]' from run
            """);
        command.Parameters.AddWithValue(useCase);
        command.Parameters.AddWithValue(provider);
        command.Parameters.AddWithValue(model);
        command.Parameters.AddWithValue(scope.Environment);
        command.Parameters.AddWithValue(passed);
        await command.ExecuteNonQueryAsync();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SiteCraft.Ml.Evals.V1;
using SiteCraft.Ml.IntegrationTests.Inference;

namespace SiteCraft.Ml.IntegrationTests.Evals;

/// <summary>Runs through the eval service's gRPC API against the real graph, with fake providers behind inference.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class EvalRunTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_pinned_run_scores_every_case_and_repeat_and_a_second_run_comes_from_the_cache()
    {
        await using var scope = await EvalScope.CreateAsync(platform, models: "echo");

        var first = await scope.RunToEndAsync(scope.Pinned(EvalScope.CopySuite, "echo"));
        var providerCalls = scope.Inference.OpenAI.RequestCount;
        var second = await scope.RunToEndAsync(scope.Pinned(EvalScope.CopySuite, "echo"));
        var fetched = await scope.Evals.GetRunAsync(new GetRunRequest { RunId = first.RunId });

        Assert.Equal("completed", first.Status);
        Assert.Equal(40, first.TotalSamples);
        Assert.Equal(40, first.DoneSamples);
        Assert.Equal(0, first.ErrorSamples);
        Assert.Equal(0, first.CachedSamples);
        Assert.Equal(1.0, first.PassRate.Value);
        Assert.InRange(first.PassRate.Lower, 0.85, 0.95);
        Assert.True(first.SuitePassed);
        Assert.Equal(40, providerCalls);
        Assert.Contains(first.Metrics, m => m.Name == "contains" && m.Estimate.Count == 40);
        Assert.Equal(40, second.CachedSamples);
        Assert.Equal(40, scope.Inference.OpenAI.RequestCount);
        Assert.Equal(first.PassRate.Value, fetched.PassRate.Value);
        Assert.Equal(40L, await scope.Inference.Db.ScalarAsync<long>(
            "select count(distinct (case_id, repeat)) from ai_eval_samples where run_id = $1::uuid", first.RunId));
    }

    [Fact]
    public async Task An_unknown_target_or_suite_is_refused_before_any_work_naming_the_field()
    {
        await using var scope = await EvalScope.CreateAsync(platform, models: "echo");
        var runsBefore = await RunsAsync(scope);

        var provider = await Assert.ThrowsAsync<RpcException>(() => scope.Evals.StartRunAsync(scope.Pinned(EvalScope.CopySuite, "echo").WithProvider("no-such-provider")).ResponseAsync);
        var model = await Assert.ThrowsAsync<RpcException>(() => scope.Evals.StartRunAsync(scope.Pinned(EvalScope.CopySuite, "not-registered")).ResponseAsync);
        var suite = await Assert.ThrowsAsync<RpcException>(() => scope.Evals.StartRunAsync(scope.Pinned("no-such-suite", "echo")).ResponseAsync);
        var half = await Assert.ThrowsAsync<RpcException>(() => scope.Evals.StartRunAsync(new StartRunRequest { SuiteId = EvalScope.CopySuite, Environment = scope.Environment, Provider = "x" }).ResponseAsync);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => scope.Anonymous.StartRunAsync(scope.Pinned(EvalScope.CopySuite, "echo")).ResponseAsync);
        var anonymousGate = await Assert.ThrowsAsync<RpcException>(() => scope.Anonymous.EvaluateGateAsync(new EvaluateGateRequest { RunId = Guid.NewGuid().ToString() }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, provider.StatusCode);
        Assert.Equal("provider", Assert.Single(provider.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        Assert.Contains("no-such-provider", provider.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, model.StatusCode);
        Assert.Equal("model", Assert.Single(model.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        Assert.Equal(StatusCode.NotFound, suite.StatusCode);
        Assert.Contains(EvalScope.CopySuite, suite.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, half.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymousGate.StatusCode);
        Assert.Equal(0, scope.Inference.OpenAI.RequestCount);
        Assert.Equal(runsBefore, await RunsAsync(scope));
    }

    [Fact]
    public async Task Failed_generations_are_recorded_as_errors_never_as_passes_and_fail_the_run()
    {
        await using var scope = await EvalScope.CreateAsync(platform, models: "status-400");

        var run = await scope.RunToEndAsync(scope.Pinned(EvalScope.CopySuite, "status-400", limit: 5));

        Assert.Equal("failed", run.Status);
        Assert.Contains("error rate 1 exceeds 0.1", run.Failure);
        Assert.Equal(10, run.DoneSamples);
        Assert.Equal(10, run.ErrorSamples);
        Assert.Null(run.PassRate);
        Assert.Equal(0L, await scope.Inference.Db.ScalarAsync<long>(
            "select count(*) from ai_eval_samples where run_id = $1::uuid and (passed is not null or error is null)", run.RunId));
    }

    [Fact]
    public async Task A_model_that_fails_its_gate_cannot_be_published_to_a_gated_environment_and_one_that_passes_can()
    {
        await using var scope = await EvalScope.CreateAsync(platform, gated: true, models: "echo");

        var failingRun = await scope.RunToEndAsync(scope.Pinned(EvalScope.SeoSuite, "echo"));
        var failed = await scope.Evals.EvaluateGateAsync(new EvaluateGateRequest { RunId = failingRun.RunId });
        using var refused = await scope.Inference.Admin.PostAsJsonAsync(
            $"/admin/routing/{scope.Environment}/site.seo.meta/policies", new { arms = new[] { InferenceScope.Arm(InferenceScope.OpenAIProvider, "echo") } });

        var passingRun = await scope.RunToEndAsync(scope.Pinned(EvalScope.CopySuite, "echo"));
        var passed = await scope.Evals.EvaluateGateAsync(new EvaluateGateRequest { RunId = passingRun.RunId });
        using var published = await scope.Inference.Admin.PostAsJsonAsync(
            $"/admin/routing/{scope.Environment}/site.section.copy/policies", new { arms = new[] { InferenceScope.Arm(InferenceScope.OpenAIProvider, "echo") } });

        Assert.False(failed.Passed);
        var rule = Assert.Single(failed.Rules, r => r.Rule == "pass_rate_lower_bound");
        Assert.False(rule.Passed);
        Assert.Equal(0, rule.Actual);
        Assert.Contains("short by", rule.Message);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("eval gate", (await refused.Content.ReadFromJsonAsync<JsonNode>())!["detail"]!.GetValue<string>());
        Assert.True(passed.Passed, string.Join("; ", passed.Rules.Select(r => r.Message)));
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        Assert.Equal(2L, await scope.Inference.Db.ScalarAsync<long>(
            "select count(*) from ai_eval_gates where environment = $1", scope.Environment));
    }

    [Fact]
    public async Task An_llm_judge_rubric_is_scored_by_the_judge_model_through_the_inference_service()
    {
        await using var scope = await EvalScope.CreateAsync(platform, models: ["echo", "judge-90", "judge-10"]);

        var run = await scope.RunToEndAsync(scope.Pinned("test-echo-judge", "echo"));

        Assert.Equal("completed", run.Status);
        Assert.Equal(1.0, run.PassRate.Value);
        Assert.Equal(1.0, Assert.Single(run.Metrics, m => m.Name == "generous-judge").Estimate.Value);
        Assert.Equal(0.0, Assert.Single(run.Metrics, m => m.Name == "harsh-judge").Estimate.Value);
        Assert.Equal(3, scope.Inference.OpenAI.RequestsFor("judge-90"));
        Assert.Equal(3, scope.Inference.OpenAI.RequestsFor("judge-10"));
        Assert.Contains("the fake judge gives 10%", await scope.Inference.Db.ScalarAsync<string>(
            "select scores->'harsh-judge'->>'reason' from ai_eval_samples where run_id = $1::uuid limit 1", run.RunId));
    }

    [Fact]
    public async Task Comparing_two_runs_pairs_their_cases()
    {
        await using var scope = await EvalScope.CreateAsync(platform, models: "echo");
        var baseline = await scope.RunToEndAsync(scope.Pinned(EvalScope.CopySuite, "echo", limit: 6));
        var candidate = await scope.RunToEndAsync(scope.Pinned(EvalScope.CopySuite, "echo", limit: 6).WithUseCache(false));

        var comparison = await scope.Evals.CompareRunsAsync(new CompareRunsRequest { BaselineRunId = baseline.RunId, CandidateRunId = candidate.RunId });
        var unknown = await Assert.ThrowsAsync<RpcException>(() => scope.Evals.CompareRunsAsync(
            new CompareRunsRequest { BaselineRunId = baseline.RunId, CandidateRunId = Guid.NewGuid().ToString() }).ResponseAsync);

        Assert.Equal(6, comparison.Pairs);
        Assert.Equal(0, comparison.MeanDifference, 12);
        Assert.Equal(0, comparison.Regressions);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_run_resumes_after_the_eval_service_is_killed_midway_without_a_duplicate_sample()
    {
        await using var scope = await EvalScope.CreateAsync(platform, models: "delay-250");
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var started = await scope.Evals.StartRunAsync(scope.Pinned(EvalScope.CopySuite, "delay-250"));
        await WaitForSamplesAsync(scope, started.RunId, atLeast: 8, timeout.Token);
        // SIGKILL: no graceful shutdown, no chance to mark the run; its advisory lock dies with the connection.
        using (var evals = Process.GetProcessById(await ProcessIdAsync("evals", timeout.Token)))
        {
            evals.Kill(entireProcessTree: true);
            await evals.WaitForExitAsync(timeout.Token);
        }

        await platform.App.ResourceNotifications.WaitForResourceAsync(
            "evals", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
        var atKill = await SamplesAsync(scope, started.RunId);
        var statusAtKill = await scope.Inference.Db.ScalarAsync<string>("select status from ai_eval_runs where run_id = $1::uuid", started.RunId);
        var start = await commands.ExecuteCommandAsync("evals", KnownResourceCommands.StartCommand, timeout.Token);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("evals", timeout.Token);
        var finished = await scope.WaitForEndAsync(started.RunId, TimeSpan.FromMinutes(2));

        Assert.True(start.Success, start.Message);
        Assert.Equal("running", statusAtKill);
        Assert.InRange(atKill, 8, 39);
        Assert.Equal("completed", finished.Status);
        Assert.Equal(40, finished.DoneSamples);
        Assert.Equal(40L, await scope.Inference.Db.ScalarAsync<long>(
            "select count(distinct (case_id, repeat)) from ai_eval_samples where run_id = $1::uuid", started.RunId));
        // Samples in flight when the service died are generated again (at most the concurrency limit); nothing finished is.
        Assert.InRange(scope.Inference.OpenAI.RequestCount, 40, 44);
    }

    [Fact]
    public async Task The_dashboards_run_nightly_now_starts_the_configured_suites_and_its_endpoint_needs_the_admin_token()
    {
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        using var http = new HttpClient { BaseAddress = platform.App.GetEndpoint("evals", "http") };
        await using var db = await platform.OpenDatabaseAsync();
        var before = await db.ScalarAsync<long>("select count(*) from ai_eval_runs where metadata->>'nightly_slot' like 'manual:%'");

        using var anonymous = await http.PostAsync("/admin/evals/commands/run-nightly", null);
        var result = await commands.ExecuteCommandAsync("evals", "run-nightly-evals");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.True(result.Success, result.Message);
        Assert.Equal(before + 1, await db.ScalarAsync<long>("select count(*) from ai_eval_runs where metadata->>'nightly_slot' like 'manual:%'"));
        Assert.Equal("test-echo-copy", await db.ScalarAsync<string>(
            "select suite_id from ai_eval_runs where metadata->>'nightly_slot' like 'manual:%' order by created_at desc limit 1"));
    }

    [Fact]
    public async Task A_run_against_the_environments_routing_policy_records_the_policy_version_that_answered()
    {
        await using var scope = await EvalScope.CreateAsync(platform, models: "echo");
        await scope.Inference.ActivateAsync("site.section.copy", [InferenceScope.Arm(InferenceScope.OpenAIProvider, "echo")]);

        var run = await scope.RunToEndAsync(new StartRunRequest { SuiteId = EvalScope.CopySuite, Environment = scope.Environment, Limit = 4 });
        var unrouted = await Assert.ThrowsAsync<RpcException>(() => scope.Evals.StartRunAsync(
            new StartRunRequest { SuiteId = EvalScope.SeoSuite, Environment = scope.Environment }).ResponseAsync);

        Assert.Equal("completed", run.Status);
        Assert.Equal("", run.Provider);
        Assert.Equal(1, run.PolicyVersion);
        Assert.Equal(8, run.DoneSamples);
        Assert.Equal(0, run.CachedSamples);
        Assert.Equal(StatusCode.InvalidArgument, unrouted.StatusCode);
        Assert.Contains("no active routing policy for site.seo.meta", unrouted.Status.Detail);
    }

    private async Task<int> ProcessIdAsync(string resource, CancellationToken cancellationToken)
    {
        var running = await platform.App.ResourceNotifications.WaitForResourceAsync(
            resource, e => e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && p.Value is not null), cancellationToken);
        var pid = running.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value;
        return Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> RunsAsync(EvalScope scope) =>
        await scope.Inference.Db.ScalarAsync<long>("select count(*) from ai_eval_runs where environment = $1", scope.Environment);

    private static async Task<long> SamplesAsync(EvalScope scope, string runId) =>
        await scope.Inference.Db.ScalarAsync<long>("select count(*) from ai_eval_samples where run_id = $1::uuid", runId);

    private static async Task WaitForSamplesAsync(EvalScope scope, string runId, int atLeast, CancellationToken cancellationToken)
    {
        while (await SamplesAsync(scope, runId) < atLeast)
        {
            await Task.Delay(50, cancellationToken);
        }
    }
}

internal static class StartRunRequestExtensions
{
    public static StartRunRequest WithProvider(this StartRunRequest request, string provider)
    {
        var copy = request.Clone();
        copy.Provider = provider;
        return copy;
    }

    public static StartRunRequest WithUseCache(this StartRunRequest request, bool useCache)
    {
        var copy = request.Clone();
        copy.UseCache = useCache;
        return copy;
    }
}

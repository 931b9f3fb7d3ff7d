using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SiteCraft.Ml.Evals.Admin;
using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Data;
using SiteCraft.Ml.Evals.Hosting;
using SiteCraft.Ml.Evals.V1;

namespace SiteCraft.Ml.Evals.Grpc;

/// <summary>EvalService over gRPC: thin mapping onto the eval plane (runner, store, gates).</summary>
/// <remarks>
/// StartRun and EvaluateGate act with the platform's admin rights (pinned inference routes, the
/// decisions prod publishing depends on), so they need "authorization: Bearer &lt;admin token&gt;";
/// reading suites, runs and comparisons does not.
/// </remarks>
internal sealed class EvalGrpcService(
    SuiteCatalog suites, EvalRunner runner, EvalStore store, GateService gates, RunSignal queue, EvalServiceOptions options, EvalAdminToken adminToken)
    : EvalService.EvalServiceBase
{
    public override async Task<ListSuitesResponse> ListSuites(ListSuitesRequest request, ServerCallContext context)
    {
        var response = new ListSuitesResponse();
        foreach (var suite in suites.Suites)
        {
            response.Suites.Add(new Suite
            {
                SuiteId = suite.SuiteId,
                ContentHash = suite.ContentHash,
                UseCase = suite.UseCase,
                Name = suite.Name ?? "",
                CaseCount = suite.Cases.Count,
                PassThreshold = suite.PassThreshold,
                SourcePath = Path.GetFileName(suite.SourcePath),
            });
        }

        response.SyncErrors.AddRange(suites.Errors);
        return await Task.FromResult(response);
    }

    public override async Task<Run> StartRun(StartRunRequest request, ServerCallContext context)
    {
        RequireAdmin(context);
        if (string.IsNullOrWhiteSpace(request.SuiteId))
        {
            throw RpcErrors.InvalidArgument("suite_id", "is required (ListSuites gives the ids)");
        }

        Guid? baseline = string.IsNullOrEmpty(request.BaselineRunId) ? null : EvalRequestErrors.RunId(request.BaselineRunId, "baseline_run_id");
        try
        {
            var target = EvalTarget.Create(
                string.IsNullOrWhiteSpace(request.Environment) ? options.Environment : request.Environment, request.Provider, request.Model);
            var run = await runner.CreateRunAsync(
                new RunRequest(request.SuiteId.Trim(), target, request.Repeats > 0 ? request.Repeats : null, request.Limit > 0 ? request.Limit : null,
                    baseline, request.HasUseCache ? request.UseCache : true, string.IsNullOrWhiteSpace(request.RequestedBy) ? "grpc" : request.RequestedBy),
                context.CancellationToken);
            queue.Signal();
            return await RunMapper.ToProtoAsync(run, store, context.CancellationToken);
        }
        catch (EvalRequestException e)
        {
            throw EvalRequestErrors.From(e);
        }
    }

    public override async Task<Run> GetRun(GetRunRequest request, ServerCallContext context)
    {
        var run = await RunAsync(request.RunId, context.CancellationToken);
        return await RunMapper.ToProtoAsync(run, store, context.CancellationToken);
    }

    public override async Task WatchRun(WatchRunRequest request, IServerStreamWriter<RunProgress> responseStream, ServerCallContext context)
    {
        var run = await RunAsync(request.RunId, context.CancellationToken);
        var total = RunMapper.TotalSamples(run);
        var started = DateTime.UtcNow;
        var firstDone = -1;
        var lastDone = -1;
        var lastStatus = "";
        // Polls the database, so progress shows whichever replica runs it.
        while (!context.CancellationToken.IsCancellationRequested)
        {
            run = (await store.GetRunAsync(run.RunId, context.CancellationToken))!;
            var (done, errors) = await store.SampleCountsAsync(run.RunId, context.CancellationToken);
            var finished = run.Status is "completed" or "failed" or "cancelled";
            if (firstDone < 0)
            {
                firstDone = done;
            }

            if (done != lastDone || run.Status != lastStatus || finished)
            {
                var seconds = (DateTime.UtcNow - started).TotalSeconds;
                var rate = seconds > 0 ? (done - firstDone) / seconds : 0;
                var progress = new RunProgress
                {
                    RunId = run.RunId.ToString(),
                    Status = run.Status,
                    TotalSamples = total,
                    DoneSamples = done,
                    ErrorSamples = errors,
                    Rate = rate,
                    EtaSeconds = rate > 0 && !finished ? (total - done) / rate : 0,
                };
                if (finished)
                {
                    progress.Run = await RunMapper.ToProtoAsync(run, store, context.CancellationToken);
                }

                await responseStream.WriteAsync(progress, context.CancellationToken);
                lastDone = done;
                lastStatus = run.Status;
            }

            if (finished)
            {
                return;
            }

            await Task.Delay(options.WatchInterval, context.CancellationToken);
        }
    }

    public override async Task<Comparison> CompareRuns(CompareRunsRequest request, ServerCallContext context)
    {
        var baseline = await RunAsync(request.BaselineRunId, context.CancellationToken, "baseline_run_id");
        var candidate = await RunAsync(request.CandidateRunId, context.CancellationToken, "candidate_run_id");
        RunComparison comparison;
        try
        {
            comparison = RunComparer.Compare(
                await store.LoadSamplesAsync(baseline.RunId, context.CancellationToken),
                await store.LoadSamplesAsync(candidate.RunId, context.CancellationToken));
        }
        catch (NoSharedCasesException e)
        {
            throw RpcErrors.FailedPrecondition(e.Message);
        }

        return RunMapper.ToProto(baseline.RunId, candidate.RunId, comparison, request.Top > 0 ? request.Top : 20);
    }

    public override async Task<GateDecision> EvaluateGate(EvaluateGateRequest request, ServerCallContext context)
    {
        RequireAdmin(context);
        var runId = EvalRequestErrors.RunId(request.RunId);
        try
        {
            var decision = await gates.EvaluateAsync(runId, request.Environment, context.CancellationToken);
            return RunMapper.ToProto(decision);
        }
        catch (EvalRequestException e)
        {
            throw EvalRequestErrors.From(e);
        }
    }

    private async Task<EvalRun> RunAsync(string value, CancellationToken cancellationToken, string field = "run_id")
    {
        var id = EvalRequestErrors.RunId(value, field);
        return await store.GetRunAsync(id, cancellationToken)
            ?? throw RpcErrors.NotFound($"{field}: no run {id}");
    }

    private void RequireAdmin(ServerCallContext context)
    {
        if (!adminToken.IsConfigured)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "eval administration is off: set Inference:AdminToken"));
        }

        if (!adminToken.Matches(context.RequestHeaders.GetValue("authorization")))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "StartRun and EvaluateGate need \"authorization: Bearer <admin token>\""));
        }
    }

    internal static Timestamp? Time(DateTimeOffset? time) => time is { } t ? Timestamp.FromDateTimeOffset(t) : null;
}

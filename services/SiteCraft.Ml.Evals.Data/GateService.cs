using SiteCraft.Ml.Evals.Core.Gates;
using SiteCraft.Ml.Evals.Core.Runs;

namespace SiteCraft.Ml.Evals.Data;

/// <summary>A recorded gate decision (a row of ai_eval_gates) with the rules that made it.</summary>
public sealed record GateDecisionRecord(
    long GateId, Guid RunId, Guid? BaselineRunId, string Environment, string UseCase, string Provider, string Model, GateOutcome Outcome);

/// <summary>
/// Applies the use case's gate policy to a finished, pinned run and records the decision in
/// ai_eval_gates, which routing reads: a gated environment (prod) publishes only models whose
/// latest decision passed. The baseline for non-inferiority is the run's own baseline, else the
/// latest completed run of the same suite against the model serving the use case in production.
/// </summary>
public sealed class GateService(EvalStore store, GatePolicies policies, string productionEnvironment = "prod")
{
    public async Task<GateDecisionRecord> EvaluateAsync(Guid runId, string? environment, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(runId, cancellationToken)
            ?? throw new EvalRequestException("run_id", $"no run {runId}", EvalRequestError.NotFound);
        if (run.Status is "pending" or "running")
        {
            throw new EvalRequestException("run_id", $"run {runId} is {run.Status}; gate it when it has finished", EvalRequestError.Precondition);
        }

        if (run.TargetProvider is null || run.TargetModel is null)
        {
            throw new EvalRequestException("run_id",
                $"run {runId} measured a routing policy, not one model; gate a run pinned to the model", EvalRequestError.Precondition);
        }

        environment = string.IsNullOrWhiteSpace(environment) ? run.Environment ?? productionEnvironment : environment.Trim();
        var samples = await store.LoadSamplesAsync(runId, cancellationToken);
        var passThreshold = run.Params["pass_threshold"]?.GetValue<double>() ?? 1;
        var aggregates = RunAggregator.Aggregate(samples, passThreshold);

        var baselineId = run.BaselineRunId ?? await ProductionBaselineAsync(run, cancellationToken);
        RunComparison? comparison = null;
        if (baselineId is { } id)
        {
            try
            {
                comparison = RunComparer.Compare(await store.LoadSamplesAsync(id, cancellationToken), samples);
            }
            catch (NoSharedCasesException)
            {
                baselineId = null;
            }
        }

        var policy = policies.For(run.UseCase);
        var outcome = GateEvaluator.Evaluate(policy, aggregates, comparison);
        if (run.Status != "completed")
        {
            var failure = run.Metadata["failure"]?.GetValue<string>() ?? run.Status;
            outcome = outcome with
            {
                Passed = false,
                Rules = [new GateRule("run_completed", false, 0, 1, $"the run did not complete ({run.Status}): {failure}"), .. outcome.Rules],
            };
        }

        var gateId = await store.InsertGateAsync(
            run.UseCase, environment, run.TargetProvider, run.TargetModel, runId, baselineId, policy.ToJson(), outcome.Passed,
            outcome.ReasonsJson(), outcome.MetricsJson(), cancellationToken);
        return new GateDecisionRecord(gateId, runId, baselineId, environment, run.UseCase, run.TargetProvider, run.TargetModel, outcome);
    }

    private async Task<Guid?> ProductionBaselineAsync(EvalRun run, CancellationToken cancellationToken)
    {
        if (run.SuiteId is null || await store.ServingTargetAsync(productionEnvironment, run.UseCase, cancellationToken) is not { } serving)
        {
            return null;
        }

        // The model already in production has no baseline but itself.
        return serving.Provider == run.TargetProvider && serving.Model == run.TargetModel
            ? null
            : await store.LatestCompletedRunAsync(run.SuiteId, serving.Provider, serving.Model, run.RunId, cancellationToken);
    }
}

using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Data;
using SiteCraft.Ml.Evals.V1;

namespace SiteCraft.Ml.Evals.Grpc;

/// <summary>Eval-plane records to their gRPC messages.</summary>
internal static class RunMapper
{
    public static int TotalSamples(EvalRun run) => run.Params["total_samples"]?.GetValue<int>() ?? 0;

    /// <summary>A run with its aggregates: stored ones for a finished run, computed from the samples so far otherwise.</summary>
    public static async Task<Run> ToProtoAsync(EvalRun run, EvalStore store, CancellationToken cancellationToken)
    {
        var passThreshold = run.Params["pass_threshold"]?.GetValue<double>() ?? 1;
        var aggregates = await store.GetAggregatesAsync(run.RunId, cancellationToken)
            ?? RunAggregator.Aggregate(await store.LoadSamplesAsync(run.RunId, cancellationToken), passThreshold);
        var message = new Run
        {
            RunId = run.RunId.ToString(),
            SuiteId = run.SuiteId ?? "",
            SuiteHash = run.SuiteHash ?? "",
            UseCase = run.UseCase,
            Environment = run.Environment ?? "",
            Provider = run.TargetProvider ?? "",
            Model = run.TargetModel ?? "",
            PolicyVersion = run.TargetPolicyVersion ?? 0,
            Status = run.Status,
            Repeats = run.Repeats,
            TotalSamples = TotalSamples(run),
            DoneSamples = aggregates.SampleCount,
            ErrorSamples = aggregates.ErrorCount,
            CachedSamples = aggregates.CachedCount,
            ErrorRate = aggregates.ErrorRate ?? 0,
            P95LatencyMs = aggregates.P95LatencyMs ?? 0,
            CostUsd = (double)aggregates.TotalCostUsd,
            BaselineRunId = run.BaselineRunId?.ToString() ?? "",
            Failure = run.Metadata["failure"]?.GetValue<string>() ?? "",
            CreatedAt = EvalGrpcService.Time(run.CreatedAt),
            StartedAt = EvalGrpcService.Time(run.StartedAt),
            CompletedAt = EvalGrpcService.Time(run.CompletedAt),
            PassThreshold = aggregates.PassThreshold,
            SuitePassed = aggregates.SuitePassed,
        };
        if (aggregates.PassRate is { } passRate)
        {
            message.PassRate = Estimate(passRate);
        }

        if (aggregates.MeanScore is { } score)
        {
            message.MeanScore = new Estimate
            {
                Value = score.Mean,
                Lower = score.Lower95,
                Upper = score.Upper95,
                StandardError = score.ClusteredStandardError ?? score.StandardError,
                Count = score.Count,
            };
        }

        foreach (var (name, rate) in aggregates.AssertionPassRates.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            message.Metrics.Add(new Metric { Name = name, Estimate = Estimate(rate) });
        }

        return message;
    }

    public static Comparison ToProto(Guid baselineRunId, Guid candidateRunId, RunComparison comparison, int top)
    {
        var paired = comparison.Paired;
        var message = new Comparison
        {
            BaselineRunId = baselineRunId.ToString(),
            CandidateRunId = candidateRunId.ToString(),
            Pairs = paired.Pairs,
            MeanDifference = paired.MeanDifference,
            StandardError = paired.StandardError,
            Lower = paired.Confidence95.Lower,
            Upper = paired.Confidence95.Upper,
            PValue = paired.PValue,
            MinimumDetectableEffect = paired.MinimumDetectableEffect,
            Regressions = comparison.Regressions,
            Improvements = comparison.Improvements,
            BaselinePassRate = Estimate(RateSummary.Of(comparison.BaselinePassRate.Passed, comparison.BaselinePassRate.Count)),
            CandidatePassRate = Estimate(RateSummary.Of(comparison.CandidatePassRate.Passed, comparison.CandidatePassRate.Count)),
        };
        foreach (var difference in comparison.Cases.Take(top))
        {
            message.Cases.Add(new V1.CaseDifference
            {
                CaseId = difference.CaseId,
                BaselineScore = difference.Baseline,
                CandidateScore = difference.Candidate,
                Difference = difference.Difference,
            });
        }

        return message;
    }

    public static GateDecision ToProto(GateDecisionRecord decision)
    {
        var message = new GateDecision
        {
            GateId = decision.GateId,
            RunId = decision.RunId.ToString(),
            BaselineRunId = decision.BaselineRunId?.ToString() ?? "",
            Environment = decision.Environment,
            UseCase = decision.UseCase,
            Provider = decision.Provider,
            Model = decision.Model,
            Passed = decision.Outcome.Passed,
        };
        foreach (var rule in decision.Outcome.Rules)
        {
            message.Rules.Add(ToProto(rule));
        }

        return message;
    }

    private static V1.GateRule ToProto(Core.Gates.GateRule rule) => new()
    {
        Rule = rule.Rule,
        Passed = rule.Passed,
        Actual = rule.Actual,
        Threshold = rule.Threshold,
        Message = rule.Message,
    };

    private static Estimate Estimate(RateSummary rate) => new()
    {
        Value = rate.Rate,
        Lower = rate.WilsonLower,
        Upper = rate.WilsonUpper,
        StandardError = rate.Count > 0 ? Math.Sqrt(rate.Rate * (1 - rate.Rate) / rate.Count) : 0,
        Count = rate.Count,
    };
}

using System.Globalization;
using System.Text;
using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Data;

namespace SiteCraft.Ml.Cli.Evals;

/// <summary>The plain-text summaries eval commands print: numbers with their intervals, failures by name.</summary>
public static class RunText
{
    public static string Summary(EvalRun run, RunAggregates aggregates)
    {
        var text = new StringBuilder();
        Line(text, $"run {run.RunId} {run.Status}: {run.SuiteId} ({run.UseCase}) against {(run.TargetProvider is null ? $"the {run.Environment} policy" : $"{run.TargetProvider}/{run.TargetModel}")} in {run.Environment}");
        Line(text, $"  samples {aggregates.SampleCount} ({aggregates.CaseCount} cases × {run.Repeats}), errors {aggregates.ErrorCount}, cached {aggregates.CachedCount}");
        if (aggregates.PassRate is { } passRate)
        {
            Line(text, $"  pass rate {passRate.Rate:0.000} (95% CI {passRate.WilsonLower:0.000}–{passRate.WilsonUpper:0.000}, {passRate.Passed}/{passRate.Count}); suite threshold {aggregates.PassThreshold:0.00}: {(aggregates.SuitePassed ? "passed" : "not reached")}");
        }
        else
        {
            Line(text, $"  pass rate: no sample was judged (every sample errored)");
        }

        if (aggregates.MeanScore is { } score)
        {
            Line(text, $"  mean score {score.Mean:0.000} ± {1.96 * (score.ClusteredStandardError ?? score.StandardError):0.000} (95% CI {score.Lower95:0.000}–{score.Upper95:0.000}; SE clustered by {score.ClusteredBy}; detectable difference {score.MinimumDetectableEffect:0.000})");
        }

        Line(text, $"  error rate {aggregates.ErrorRate ?? 0:0.000}, p50/p95 latency {aggregates.P50LatencyMs ?? 0:0} / {aggregates.P95LatencyMs ?? 0:0} ms, cost ${aggregates.TotalCostUsd:0.######}");
        if (aggregates.WithinCaseVariance is { } variance)
        {
            Line(text, $"  within-case variance {variance:0.0000}, flaky cases {aggregates.FlakyCases.Count}");
        }

        foreach (var (name, rate) in aggregates.AssertionPassRates.OrderBy(p => p.Value.Rate).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            Line(text, $"    {name,-24} {rate.Rate:0.000} (95% CI {rate.WilsonLower:0.000}–{rate.WilsonUpper:0.000})");
        }

        if (run.Metadata["failure"]?.GetValue<string>() is { } failure)
        {
            Line(text, $"  failed: {failure}");
        }

        return text.ToString().TrimEnd();
    }

    public static string Gate(GateDecisionRecord decision)
    {
        var text = new StringBuilder();
        Line(text, $"gate {(decision.Outcome.Passed ? "passed" : "failed")}: {decision.Provider}/{decision.Model} for {decision.UseCase} in {decision.Environment} (run {decision.RunId}{(decision.BaselineRunId is { } b ? $", baseline {b}" : "")}; ai_eval_gates #{decision.GateId})");
        foreach (var rule in decision.Outcome.Rules)
        {
            Line(text, $"  {(rule.Passed ? "ok  " : "FAIL")} {rule.Rule}: {rule.Message}");
        }

        return text.ToString().TrimEnd();
    }

    public static string Comparison(RunComparison comparison, int top)
    {
        var paired = comparison.Paired;
        var text = new StringBuilder();
        Line(text, $"{paired.Pairs} paired cases: mean difference {paired.MeanDifference:+0.000;-0.000;0.000} (candidate − baseline), SE {paired.StandardError:0.000}, 95% CI {paired.Confidence95.Lower:+0.000;-0.000;0.000} to {paired.Confidence95.Upper:+0.000;-0.000;0.000}, p = {paired.PValue:0.0000}");
        Line(text, $"  detectable difference at this size {paired.MinimumDetectableEffect:0.000}; regressions {comparison.Regressions}, improvements {comparison.Improvements}");
        Line(text, $"  pass rate {comparison.BaselinePassRate.Rate:0.000} → {comparison.CandidatePassRate.Rate:0.000}");
        foreach (var difference in comparison.Cases.Take(top))
        {
            Line(text, $"    {difference.CaseId,-24} {difference.Baseline:0.000} → {difference.Candidate:0.000} ({difference.Difference:+0.000;-0.000;0.000})");
        }

        return text.ToString().TrimEnd();
    }

    private static void Line(StringBuilder text, FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
}

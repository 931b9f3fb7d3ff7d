using System.Globalization;

namespace SiteCraft.Ml.Evals.Core.Scoring;

/// <summary>
/// Scores one sample against all its assertions: the deterministic ones through
/// <see cref="AssertionScorer"/>, llm-judge from verdicts the caller obtained from the judge
/// (this library does no I/O; see <see cref="JudgePrompt"/>).
/// </summary>
public static class SampleScorer
{
    /// <summary>
    /// Passed when every assertion with weight &gt; 0 passed; Score = Σ weight · score / Σ weight.
    /// With no weighted assertion nothing can fail, so the sample passes with score 1.
    /// </summary>
    /// <param name="assertions">The case's assertions; unnamed ones are named by <see cref="AssertionNames.Assign"/>.</param>
    /// <param name="output">The generated text.</param>
    /// <param name="measurements">The generation's latency and cost, for latency and cost assertions.</param>
    /// <param name="verdicts">The judge's verdict for each llm-judge assertion, by assertion name.</param>
    public static SampleScore Score(
        IReadOnlyList<Assertion> assertions,
        string output,
        SampleMeasurements measurements,
        IReadOnlyDictionary<string, JudgeVerdict>? verdicts = null)
    {
        var scores = new Dictionary<string, AssertionResult>(StringComparer.Ordinal);
        var passed = true;
        var weighted = 0.0;
        var totalWeight = 0.0;
        foreach (var assertion in AssertionNames.Assign(assertions))
        {
            var result = AssertionScorer.BaseType(assertion.Type) == "llm-judge"
                ? Judged(assertion, verdicts)
                : AssertionScorer.Score(assertion, output, measurements);
            scores[assertion.Name!] = result;
            if (assertion.Weight > 0)
            {
                passed &= result.Passed;
                weighted += assertion.Weight * result.Score;
                totalWeight += assertion.Weight;
            }
        }

        return new SampleScore(passed, totalWeight > 0 ? weighted / totalWeight : 1.0, scores);
    }

    private static AssertionResult Judged(Assertion assertion, IReadOnlyDictionary<string, JudgeVerdict>? verdicts)
    {
        if (verdicts is null || !verdicts.TryGetValue(assertion.Name!, out var verdict))
        {
            return AssertionScorer.Result(assertion, AssertionScorer.Outcome.NotApplicable("the judge gave no verdict"));
        }

        if (verdict.Score is not (>= 0 and <= 1))
        {
            return AssertionScorer.Result(assertion, AssertionScorer.Outcome.NotApplicable(
                $"the judge's score {verdict.Score.ToString(CultureInfo.InvariantCulture)} is outside [0, 1]"));
        }

        return AssertionScorer.Result(assertion, new AssertionScorer.Outcome(
            verdict.Score, FormattableString.Invariant($"judge score {verdict.Score:F2} (threshold {assertion.Threshold:F2}): {verdict.Reason}")));
    }
}

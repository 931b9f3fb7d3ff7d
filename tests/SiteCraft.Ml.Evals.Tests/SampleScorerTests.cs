using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>A sample's pass, weighted score and per-assertion results, including the judge's verdicts.</summary>
public sealed class SampleScorerTests
{
    private static readonly SampleMeasurements s_measured = new(LatencyMs: 800, CostUsd: 0.001m);

    [Fact]
    public void A_sample_passes_when_every_weighted_assertion_passes_and_scores_the_weighted_mean()
    {
        Assertion[] assertions =
        [
            new("contains", Value: "bread"),
            new("rouge-l", Value: "fresh bread baked daily", Threshold: 0.5, Weight: 3),
            new("contains", Value: "cake", Weight: 0),
        ];

        var score = SampleScorer.Score(assertions, "fresh bread", s_measured);

        // ROUGE-L of 2 common words in 2 and 4: P = 1, R = 0.5, F = 2/3; (1·1 + 3·2/3 + 0) / 4 = 0.75.
        Assert.True(score.Passed);
        Assert.Equal(0.75, score.Score, 12);
        Assert.Equal(["contains", "rouge-l", "contains#2"], score.Scores.Keys);
        Assert.False(score.Scores["contains#2"].Passed);
    }

    [Fact]
    public void One_failing_weighted_assertion_fails_the_sample()
    {
        var score = SampleScorer.Score([new("contains", Value: "bread"), new("latency", MaxMs: 500)], "bread", s_measured);

        Assert.False(score.Passed);
        Assert.Equal(0.5, score.Score, 12);
        Assert.Equal("latency 800 ms exceeds max_ms 500", score.Scores["latency"].Reason);
    }

    [Fact]
    public void Without_weighted_assertions_nothing_fails_and_the_score_is_one()
    {
        var score = SampleScorer.Score([new("contains", Value: "cake", Weight: 0)], "bread", s_measured);

        Assert.True(score.Passed);
        Assert.Equal(1.0, score.Score);
        Assert.Single(score.Scores);
    }

    [Theory]
    [InlineData(0.8, true, 0.8)]
    [InlineData(0.5, true, 0.5)]
    [InlineData(0.2, false, 0.2)]
    public void A_judge_passes_when_its_verdict_reaches_the_threshold(double verdictScore, bool passes, double score)
    {
        var judge = new Assertion("llm-judge", Rubric: "Names the city?", Threshold: 0.5, Name: "city");

        var result = SampleScorer.Score([judge], "Bakery in Lyon", s_measured, new Dictionary<string, JudgeVerdict> { ["city"] = new(verdictScore, "it names Lyon") });

        Assert.Equal(passes, result.Passed);
        Assert.Equal(score, result.Score, 12);
        Assert.EndsWith(": it names Lyon", result.Scores["city"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negated_judge_passes_when_the_verdict_stays_under_the_threshold()
    {
        var judge = new Assertion("not-llm-judge", Rubric: "Mentions a competitor?", Threshold: 0.5);

        var result = SampleScorer.Score([judge], "Bakery in Lyon", s_measured, new Dictionary<string, JudgeVerdict> { ["not-llm-judge"] = new(0.1, "no competitor") });

        Assert.True(result.Passed);
        Assert.Equal(1.0, result.Score);
    }

    [Theory]
    [InlineData("llm-judge")]
    [InlineData("not-llm-judge")]
    public void A_judge_without_a_verdict_fails(string type)
    {
        var result = SampleScorer.Score([new Assertion(type, Rubric: "Kind?")], "out", s_measured, new Dictionary<string, JudgeVerdict>());

        Assert.False(result.Passed);
        Assert.Equal("the judge gave no verdict", result.Scores[type].Reason);
    }

    [Fact]
    public void A_verdict_outside_zero_to_one_fails_rather_than_being_clamped()
    {
        var result = SampleScorer.Score([new Assertion("llm-judge", Rubric: "Kind?")], "out", s_measured, new Dictionary<string, JudgeVerdict> { ["llm-judge"] = new(7, "great") });

        Assert.False(result.Passed);
        Assert.Equal("the judge's score 7 is outside [0, 1]", result.Scores["llm-judge"].Reason);
    }

    [Fact]
    public void Names_default_to_the_type_and_repeats_are_numbered()
    {
        var named = AssertionNames.Assign(
        [
            new("length", Max: 60),
            new("length", Max: 160, Path: "/description"),
            new("contains", Value: "x", Name: "brand"),
            new("contains", Value: "y", Name: "brand"),
            new("length", Min: 1),
        ]);

        Assert.Equal(["length", "length#2", "brand", "brand#2", "length#3"], named.Select(a => a.Name));
        Assert.Equal(named.Select(a => a.Name), AssertionNames.Assign(named).Select(a => a.Name));
    }

    [Fact]
    public void A_generated_name_never_collides_with_an_explicit_one()
    {
        var named = AssertionNames.Assign([new("length", Max: 1), new("is-json", Name: "length#2"), new("length", Max: 2)]);

        Assert.Equal(["length", "length#2", "length#3"], named.Select(a => a.Name));
    }
}

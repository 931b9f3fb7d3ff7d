using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>Every assertion type passing and failing, negation, and outputs an assertion cannot read.</summary>
public sealed class AssertionScorerTests
{
    private static readonly string s_seoSchema = UseCaseCatalog.Get(UseCaseCatalog.SeoMeta).JsonSchema!;

    public static TheoryData<Assertion, string, string> Passing => new()
    {
        { new Assertion("equals", Value: "Fresh bread"), "Fresh bread", "equals" },
        { new Assertion("contains", Value: "bread"), "Fresh bread daily", "contains 'bread'" },
        { new Assertion("icontains", Value: "BREAD"), "Fresh bread daily", "any case" },
        { new Assertion("contains-any", Values: ["cake", "bread"]), "Fresh bread", "contains 'bread'" },
        { new Assertion("contains-all", Values: ["Fresh", "bread"]), "Fresh bread", "every value" },
        { new Assertion("regex", Value: "^Fresh \\w+$"), "Fresh bread", "matches" },
        { new Assertion("is-json"), "{\"a\":1}", "is JSON" },
        { new Assertion("json-schema", Schema: s_seoSchema), "{\"title\":\"Bakery in Lyon\",\"description\":\"Fresh bread daily.\"}", "validates" },
        { new Assertion("length", Min: 5, Max: 20), "Fresh bread", "within [5, 20]" },
        { new Assertion("rouge-l", Value: "fresh bread baked daily", Threshold: 0.8), "Fresh bread, baked daily!", "ROUGE-L F = 1.000" },
        { new Assertion("f1", Value: "fresh bread daily", Threshold: 0.5), "bread daily", "token F1 = 0.800" },
        { new Assertion("not-contains", Value: "lorem"), "Fresh bread", "as expected, not" },
        { new Assertion("html"), "<!DOCTYPE html><!-- hi --><p class=lead id=\"x\">Fresh<br>bread <img src='a.png'></p>", "well-formed HTML" },
        { new Assertion("html"), "Just text, 1 < 2", "well-formed HTML" },
        { new Assertion("bleu", Value: "fresh bread baked daily in lyon", Threshold: 0.9), "Fresh bread, baked daily in Lyon.", "BLEU-4 = 1.000" },
        { new Assertion("length", Max: 20, Path: "/title"), "{\"title\":\"Bakery in Lyon\"}", "length 14 is within" },
        { new Assertion("equals", Value: "2", Path: "/sections/1"), "{\"sections\":[1,2]}", "equals" },
        { new Assertion("is-json", Path: "/a~1b/~0c"), "{\"a/b\":{\"~c\":{\"d\":null}}}", "is JSON" },
    };

    public static TheoryData<Assertion, string, string> Failing => new()
    {
        { new Assertion("equals", Value: "Fresh bread"), "Fresh brad", "differs from the expected text at character 8" },
        { new Assertion("contains", Value: "cake"), "Fresh bread", "does not contain 'cake'" },
        { new Assertion("icontains", Value: "CAKE"), "Fresh bread", "does not contain 'CAKE'" },
        { new Assertion("contains-any", Values: ["cake", "pie"]), "Fresh bread", "none of 'cake', 'pie'" },
        { new Assertion("contains-all", Values: ["Fresh", "cake"]), "Fresh bread", "lacks 'cake'" },
        { new Assertion("regex", Value: "^\\d+$"), "Fresh bread", "does not match" },
        { new Assertion("is-json"), "{\"a\":", "not JSON" },
        { new Assertion("json-schema", Schema: s_seoSchema), "{\"title\":\"x\"}", "description" },
        { new Assertion("json-schema", Schema: s_seoSchema), "<html>not json</html>", "not JSON" },
        { new Assertion("length", Max: 5), "Fresh bread", "length 11 is outside [0, 5]" },
        { new Assertion("rouge-l", Value: "fresh bread baked daily", Threshold: 0.8), "cakes and pies", "ROUGE-L F = 0.000" },
        { new Assertion("f1", Value: "fresh bread daily", Threshold: 0.9), "bread daily", "token F1 = 0.800" },
        { new Assertion("not-contains", Value: "lorem"), "lorem ipsum", "expected not" },
        { new Assertion("html"), "<div><p>Fresh</div></p>", "not well-formed HTML: </div> at character 13 closes <p>, opened at character 5" },
        { new Assertion("bleu", Value: "fresh bread baked daily", Threshold: 0.5), "cakes and pies", "BLEU-4 = 0.000" },
        { new Assertion("length", Max: 20, Path: "/title"), "Bakery in Lyon", "output is not JSON (" },
        { new Assertion("length", Max: 20, Path: "/title"), "{\"name\":\"Bakery\"}", "no value at /title" },
        { new Assertion("not-contains", Value: "x", Path: "/title"), "{}", "no value at /title" },
        { new Assertion("contains", Value: "x", Path: "/s/-"), "{\"s\":[\"x\"]}", "no value at /s/-" },
    };

    [Theory]
    [MemberData(nameof(Passing))]
    public void An_assertion_passes_with_its_reason(Assertion assertion, string output, string reason)
    {
        Assert.Null(AssertionScorer.Problem(assertion));

        var result = AssertionScorer.Score(assertion, output);

        Assert.True(result.Passed, result.Reason);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
        Assert.InRange(result.Score, assertion.Threshold, 1);
    }

    [Theory]
    [MemberData(nameof(Failing))]
    public void An_assertion_fails_with_its_reason(Assertion assertion, string output, string reason)
    {
        var result = AssertionScorer.Score(assertion, output);

        Assert.False(result.Passed);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
        Assert.True(result.Score < assertion.Threshold || assertion.Type.StartsWith("not-", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_type_but_the_judge_can_be_negated()
    {
        var measured = new SampleMeasurements(LatencyMs: 100, CostUsd: 0.001m);
        foreach (var type in AssertionScorer.Types.Where(t => t != "llm-judge"))
        {
            var assertion = new Assertion($"not-{type}", Value: "x", Values: ["x"], Min: 0, Max: 1, Schema: "{\"type\":\"object\"}", Threshold: 0.5, MaxMs: 1000, MaxUsd: 0.01m);
            Assert.Null(AssertionScorer.Problem(assertion));
            var plain = AssertionScorer.Score(assertion with { Type = type }, "x", measured);
            var negated = AssertionScorer.Score(assertion, "x", measured);
            Assert.NotEqual(plain.Passed, negated.Passed);
        }
    }

    [Theory]
    [InlineData(900.0, true, "latency 900 ms is within max_ms 1000")]
    [InlineData(1000.0, true, "latency 1000 ms is within max_ms 1000")]
    [InlineData(1000.5, false, "latency 1000.5 ms exceeds max_ms 1000")]
    public void Latency_passes_at_or_under_its_bound(double latencyMs, bool passes, string reason)
    {
        var result = AssertionScorer.Score(new Assertion("latency", MaxMs: 1000), "out", new SampleMeasurements(latencyMs, null));

        Assert.Equal(passes, result.Passed);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Cost_passes_at_or_under_its_bound()
    {
        var assertion = new Assertion("cost", MaxUsd: 0.002m);

        Assert.True(AssertionScorer.Score(assertion, "out", new SampleMeasurements(null, 0.002m)).Passed);
        var over = AssertionScorer.Score(assertion, "out", new SampleMeasurements(null, 0.0021m));
        Assert.False(over.Passed);
        Assert.Equal("cost $0.0021 exceeds max_usd 0.002", over.Reason);
    }

    [Theory]
    [InlineData("latency", "no latency was measured for this sample")]
    [InlineData("not-latency", "no latency was measured for this sample")]
    [InlineData("cost", "no cost was measured for this sample")]
    [InlineData("not-cost", "no cost was measured for this sample")]
    [InlineData("llm-judge", "llm-judge is graded by a judge model")]
    public void A_measure_nobody_took_fails_even_when_negated(string type, string reason)
    {
        var result = AssertionScorer.Score(new Assertion(type, MaxMs: 10, MaxUsd: 1, Rubric: "Is it kind?"), "out");

        Assert.False(result.Passed);
        Assert.Equal(0, result.Score);
        Assert.StartsWith(reason, result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("similarity", null, "type: 'similarity' is not one of")]
    [InlineData("contains", null, "value: contains needs a value")]
    [InlineData("regex", "(", "value: not a regular expression")]
    [InlineData("json-schema", null, "schema: json-schema needs a schema")]
    [InlineData("length", null, "min/max: length needs at least one bound")]
    [InlineData("bleu", null, "value: bleu needs a value")]
    [InlineData("not-rouge-l", null, "value: rouge-l needs a value")]
    [InlineData("latency", null, "max_ms: latency needs max_ms > 0")]
    [InlineData("cost", null, "max_usd: cost needs max_usd ≥ 0")]
    [InlineData("llm-judge", null, "rubric: llm-judge needs a rubric")]
    public void An_unusable_assertion_is_named_before_any_scoring(string type, string? value, string problem) =>
        Assert.StartsWith(problem, AssertionScorer.Problem(new Assertion(type, Value: value)), StringComparison.Ordinal);

    public static TheoryData<Assertion, string> UnusableFields => new()
    {
        { new Assertion("latency", MaxMs: 0), "max_ms: latency needs max_ms > 0" },
        { new Assertion("cost", MaxUsd: -0.01m), "max_usd: cost needs max_usd ≥ 0" },
        { new Assertion("llm-judge", Rubric: "  "), "rubric: llm-judge needs a rubric" },
        { new Assertion("llm-judge", Rubric: "Kind?", Judge: "gpt-4o"), "judge: 'gpt-4o' is not provider/model" },
        { new Assertion("is-json", Path: "title"), "path: 'title' is not a JSON Pointer" },
        { new Assertion("is-json", Path: "/a~2"), "path: '/a~2' has a '~' at character 2" },
        { new Assertion("latency", MaxMs: 10, Path: "/title"), "path: latency does not read the output" },
        { new Assertion("is-json", Name: " "), "name: ' ' must be non-empty" },
        { new Assertion("is-json", Weight: -1), "weight: must be ≥ 0" },
        { new Assertion("is-json", Threshold: double.NaN), "threshold: must be in [0, 1]" },
        { new Assertion("length", Min: 10, Max: 5), "min/max: length needs 0 ≤ min ≤ max" },
    };

    [Theory]
    [MemberData(nameof(UnusableFields))]
    public void A_bad_field_is_named_in_the_problem(Assertion assertion, string problem) =>
        Assert.StartsWith(problem, AssertionScorer.Problem(assertion), StringComparison.Ordinal);

    [Fact]
    public void The_judge_fields_make_a_usable_judge()
    {
        Assert.Null(AssertionScorer.Problem(new Assertion("llm-judge", Rubric: "Names the city?", Judge: "openai/gpt-4o-mini", Threshold: 0.5)));
        Assert.Null(AssertionScorer.Problem(new Assertion("not-llm-judge", Rubric: "Mentions a competitor?")));
    }

    [Fact]
    public void Hostile_outputs_are_scored_without_throwing()
    {
        string[] outputs =
        [
            "", "\0", "\"'\\$$", new string('a', 100_000), "\ud800", "{\"title\":" + new string('[', 500), "<" + new string('<', 10_000),
            new string('x', 1_000_000), "{\"title\":\"\\ud800\"}", "{\"title\":\"a\0b\"}", new string('[', 10_000) + new string(']', 10_000),
            string.Concat(Enumerable.Repeat("<div a=\"", 5_000)), "<p>\ud800</p>", "{" + new string('{', 100_000),
        ];
        var schema = new Assertion("json-schema", Schema: s_seoSchema);
        var measured = new SampleMeasurements(double.NaN, 0m);
        foreach (var output in outputs)
        {
            foreach (var type in AssertionScorer.Types)
            {
                var assertion = type == "json-schema" ? schema : new Assertion(type, Value: "a", Values: ["a"], Max: 10, Threshold: 0.5, MaxMs: 10, MaxUsd: 1, Rubric: "r");
                foreach (var variant in new[] { assertion, assertion with { Path = "/title" }, assertion with { Type = "not-" + type } })
                {
                    var result = AssertionScorer.Score(variant, output, measured);
                    Assert.InRange(result.Score, 0, 1);
                    Assert.False(string.IsNullOrEmpty(result.Reason));
                }
            }
        }
    }

    [Fact]
    public void A_json_string_at_the_path_is_scored_as_its_text_and_other_values_as_json()
    {
        const string output = "{\"title\":\"Caf\\u00e9 \\\"Lyon\\\"\",\"meta\":{\"n\": 2}}";

        Assert.True(AssertionScorer.Score(new Assertion("equals", Value: "Café \"Lyon\"", Path: "/title"), output).Passed);
        Assert.True(AssertionScorer.Score(new Assertion("equals", Value: "{\"n\": 2}", Path: "/meta"), output).Passed);
        Assert.True(AssertionScorer.Score(new Assertion("equals", Value: output, Path: ""), output).Passed);
    }

    [Fact]
    public void An_escaped_lone_surrogate_at_the_path_fails_as_not_text()
    {
        var result = AssertionScorer.Score(new Assertion("contains", Value: "a", Path: "/title"), "{\"title\":\"\\ud800\"}");

        Assert.False(result.Passed);
        Assert.StartsWith("the value at /title is not text", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Similarity_matches_hand_computed_values()
    {
        // LCS of "the cat sat on the mat" and "the cat on a mat" is "the cat on mat" (4): P = 4/6, R = 4/5.
        Assert.Equal(2 * (4.0 / 6) * (4.0 / 5) / ((4.0 / 6) + (4.0 / 5)), TextSimilarity.RougeL("the cat sat on the mat", "the cat on a mat"), 12);
        // Bags: common {the, cat, on, mat} = 4 of 6 and 5.
        Assert.Equal(2 * (4.0 / 6) * (4.0 / 5) / ((4.0 / 6) + (4.0 / 5)), TextSimilarity.TokenF1("the cat sat on the mat", "the cat on a mat"), 12);
        Assert.Equal(1.0, TextSimilarity.RougeL("", ""));
        Assert.Equal(0.0, TextSimilarity.TokenF1("bread", ""));
    }

    [Fact]
    public void Bleu_matches_a_hand_computed_value()
    {
        // Clipped matches / totals: 1-grams 5/6; 2-grams 3/5, 3-grams 1/4, 4-grams 0/3 smoothed to 4/6, 2/5, 1/4. Same lengths: BP = 1.
        var expected = Math.Pow(5.0 / 6 * (4.0 / 6) * (2.0 / 5) * (1.0 / 4), 0.25);

        Assert.Equal(expected, TextSimilarity.Bleu("the cat sat on the mat", "the cat is on the mat"), 12);
    }

    [Fact]
    public void Bleu_penalises_a_short_candidate()
    {
        // Every n-gram of "the cat" occurs in the reference: 1-grams 2/2, 2-grams (1+1)/(1+1), 3- and 4-grams (0+1)/(0+1); BP = e^(1 − 6/2).
        Assert.Equal(Math.Exp(1 - (6.0 / 2)), TextSimilarity.Bleu("the cat", "the cat is on the mat"), 12);
        Assert.Equal(1.0, TextSimilarity.Bleu("", ""));
        Assert.Equal(0.0, TextSimilarity.Bleu("bread", ""));
        Assert.Equal(0.0, TextSimilarity.Bleu("cakes", "bread"));
    }
}

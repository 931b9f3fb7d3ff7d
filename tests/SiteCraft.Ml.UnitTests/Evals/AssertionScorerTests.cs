using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.UnitTests.Evals;

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
    public void Every_type_can_be_negated()
    {
        foreach (var type in AssertionScorer.Types)
        {
            var assertion = new Assertion($"not-{type}", Value: "x", Values: ["x"], Min: 0, Max: 1, Schema: "{\"type\":\"object\"}", Threshold: 0.5);
            Assert.Null(AssertionScorer.Problem(assertion));
            var plain = AssertionScorer.Score(assertion with { Type = type }, "x");
            var negated = AssertionScorer.Score(assertion, "x");
            Assert.NotEqual(plain.Passed, negated.Passed);
        }
    }

    [Theory]
    [InlineData("similarity", null, "type: 'similarity' is not one of")]
    [InlineData("contains", null, "value: contains needs a value")]
    [InlineData("regex", "(", "value: not a regular expression")]
    [InlineData("json-schema", null, "schema: json-schema needs a schema")]
    [InlineData("length", null, "min/max: length needs at least one bound")]
    public void An_unusable_assertion_is_named_before_any_scoring(string type, string? value, string problem) =>
        Assert.StartsWith(problem, AssertionScorer.Problem(new Assertion(type, Value: value)), StringComparison.Ordinal);

    [Fact]
    public void Hostile_outputs_are_scored_without_throwing()
    {
        string[] outputs = ["", "\0", "\"'\\$$", new string('a', 100_000), "\ud800", "{\"title\":" + new string('[', 500)];
        var schema = new Assertion("json-schema", Schema: s_seoSchema);
        foreach (var output in outputs)
        {
            foreach (var type in AssertionScorer.Types)
            {
                var assertion = type == "json-schema" ? schema : new Assertion(type, Value: "a", Values: ["a"], Max: 10, Threshold: 0.5);
                var result = AssertionScorer.Score(assertion, output);
                Assert.InRange(result.Score, 0, 1);
                Assert.False(string.IsNullOrEmpty(result.Reason));
            }
        }
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
}

using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Data.Checks;

namespace SiteCraft.Ml.Contracts.Tests;

public sealed class RuleComparisonTests
{
    [Theory]
    [InlineData(ComparisonOperator.MustBe, 0, null, 0, true)]
    [InlineData(ComparisonOperator.MustBe, 0, null, 1, false)]
    [InlineData(ComparisonOperator.MustNotBe, 0, null, 1, true)]
    [InlineData(ComparisonOperator.MustBeGreaterThan, 0, null, 0, false)]
    [InlineData(ComparisonOperator.MustBeGreaterThan, 0, null, 1, true)]
    [InlineData(ComparisonOperator.MustBeGreaterOrEqualTo, 5, null, 5, true)]
    [InlineData(ComparisonOperator.MustBeLessThan, 5, null, 5, false)]
    [InlineData(ComparisonOperator.MustBeLessOrEqualTo, 5, null, 5, true)]
    [InlineData(ComparisonOperator.MustBeBetween, 1, 3.0, 1, true)]
    [InlineData(ComparisonOperator.MustBeBetween, 1, 3.0, 3, true)]
    [InlineData(ComparisonOperator.MustBeBetween, 1, 3.0, 3.5, false)]
    [InlineData(ComparisonOperator.MustNotBeBetween, 1, 3.0, 3, false)]
    [InlineData(ComparisonOperator.MustNotBeBetween, 1, 3.0, 0.5, true)]
    public void A_rule_holds_exactly_when_its_comparison_does(ComparisonOperator op, double threshold, double? upper, double actual, bool holds)
    {
        Assert.Equal(holds, RuleComparison.Holds(Rule(op, threshold, upper), actual));
    }

    [Fact]
    public void A_rule_reads_as_its_metric_and_condition_with_its_unit()
    {
        Assert.Equal("rowCount > 0", RuleComparison.Describe(Rule(ComparisonOperator.MustBeGreaterThan, 0, null)));
        Assert.Equal("rowCount between 10 and 20.5", RuleComparison.Describe(Rule(ComparisonOperator.MustBeBetween, 10, 20.5)));
        Assert.Equal("rowCount <= 2.5 %", RuleComparison.Describe(Rule(ComparisonOperator.MustBeLessOrEqualTo, 2.5, null) with { Unit = QualityUnit.Percent }));
    }

    [Theory]
    [InlineData(9.5 * 24 * 3600, "9.5 d")]
    [InlineData(7 * 24 * 3600, "7 d")]
    [InlineData(3 * 3600, "3 h")]
    [InlineData(90, "1.5 min")]
    [InlineData(0, "0 s")]
    public void An_age_reads_in_the_largest_unit_that_fits(double seconds, string expected)
    {
        Assert.Equal(expected, ContractTableChecker.Age(TimeSpan.FromSeconds(seconds)));
    }

    private static QualityRule Rule(ComparisonOperator op, double threshold, double? upper) =>
        new("rowCount", op, threshold, upper, QualityUnit.Rows, null, new Dictionary<string, object>(), PerRecord: false);
}

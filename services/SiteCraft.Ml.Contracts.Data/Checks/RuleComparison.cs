using System.Globalization;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Data.Checks;

/// <summary>An ODCS quality rule's comparison (<c>mustBe</c>, <c>mustBeGreaterThan</c>, …) applied to a measured value.</summary>
internal static class RuleComparison
{
    /// <summary>Whether <paramref name="actual"/> satisfies the rule; the between forms include both ends, as in ODCS.</summary>
    public static bool Holds(QualityRule rule, double actual) => rule.Operator switch
    {
        ComparisonOperator.MustBe => actual == rule.Threshold,
        ComparisonOperator.MustNotBe => actual != rule.Threshold,
        ComparisonOperator.MustBeGreaterThan => actual > rule.Threshold,
        ComparisonOperator.MustBeGreaterOrEqualTo => actual >= rule.Threshold,
        ComparisonOperator.MustBeLessThan => actual < rule.Threshold,
        ComparisonOperator.MustBeLessOrEqualTo => actual <= rule.Threshold,
        ComparisonOperator.MustBeBetween => actual >= rule.Threshold && actual <= Upper(rule),
        ComparisonOperator.MustNotBeBetween => actual < rule.Threshold || actual > Upper(rule),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Operator, "unknown comparison"),
    };

    /// <summary>The rule as a short condition on its metric, e.g. <c>rowCount &gt; 0</c> or <c>nullValues &lt;= 5 %</c>.</summary>
    public static string Describe(QualityRule rule)
    {
        var unit = rule.Unit == QualityUnit.Percent ? " %" : "";
        var condition = rule.Operator switch
        {
            ComparisonOperator.MustBe => $"= {Number(rule.Threshold)}{unit}",
            ComparisonOperator.MustNotBe => $"!= {Number(rule.Threshold)}{unit}",
            ComparisonOperator.MustBeGreaterThan => $"> {Number(rule.Threshold)}{unit}",
            ComparisonOperator.MustBeGreaterOrEqualTo => $">= {Number(rule.Threshold)}{unit}",
            ComparisonOperator.MustBeLessThan => $"< {Number(rule.Threshold)}{unit}",
            ComparisonOperator.MustBeLessOrEqualTo => $"<= {Number(rule.Threshold)}{unit}",
            ComparisonOperator.MustBeBetween => $"between {Number(rule.Threshold)}{unit} and {Number(Upper(rule))}{unit}",
            ComparisonOperator.MustNotBeBetween => $"not between {Number(rule.Threshold)}{unit} and {Number(Upper(rule))}{unit}",
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Operator, "unknown comparison"),
        };
        return $"{rule.Metric} {condition}";
    }

    public static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    // The loader refuses a between rule without its upper end.
    private static double Upper(QualityRule rule) => rule.UpperThreshold ?? throw new ArgumentException($"{rule.Metric}: {rule.Operator} needs an upper threshold", nameof(rule));
}

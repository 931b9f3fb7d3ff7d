namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>The ODCS comparison a metric's value must satisfy.</summary>
public enum ComparisonOperator
{
    MustBe,
    MustNotBe,
    MustBeGreaterThan,
    MustBeGreaterOrEqualTo,
    MustBeLessThan,
    MustBeLessOrEqualTo,
    MustBeBetween,
    MustNotBeBetween,
}

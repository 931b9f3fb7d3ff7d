namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>
/// An ODCS quality rule: a metric, its arguments and one comparison such as <c>mustBe: 0</c>.
/// Rules on a property that allow no failing row at all are checked on every record; the
/// others (percentages, row counts) are checks on the table, run later against the data.
/// </summary>
public sealed record QualityRule(
    string Metric,
    ComparisonOperator Operator,
    double Threshold,
    double? UpperThreshold,
    QualityUnit Unit,
    string? Description,
    IReadOnlyDictionary<string, object> Arguments,
    bool PerRecord);

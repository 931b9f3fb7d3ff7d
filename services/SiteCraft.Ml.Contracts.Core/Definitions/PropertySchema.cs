using System.Text.RegularExpressions;

namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>
/// One property of a contract's schema (or the schema object itself, or an array's items),
/// with its constraints compiled: regexes are built once at load, not per record.
/// </summary>
public sealed record PropertySchema
{
    public required string Name { get; init; }

    /// <summary>The ODCS <c>physicalName</c>: the table (for the schema object) or column it is stored in, when it differs from <see cref="Name"/>.</summary>
    public string? PhysicalName { get; init; }

    /// <summary>Where the property is stored: <see cref="PhysicalName"/>, or <see cref="Name"/> when none is given.</summary>
    public string StoredName => PhysicalName ?? Name;

    public required LogicalType LogicalType { get; init; }

    /// <summary>The ODCS classification, e.g. <c>restricted</c>: such a property never leaves the table in a dataset snapshot.</summary>
    public string? Classification { get; init; }

    public bool Required { get; init; }

    /// <summary>Unique across the table; checked by the table checks and dedup, not per record.</summary>
    public bool Unique { get; init; }

    public string? Format { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    public string? PatternText { get; init; }

    public Regex? Pattern { get; init; }

    public int? MinItems { get; init; }

    public int? MaxItems { get; init; }

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    /// <summary>From an <c>invalidValues</c> rule with <c>validValues</c> that allows no failing row.</summary>
    public AllowedValues? ValidValues { get; init; }

    /// <summary>From a <c>missingValues</c> rule that allows no failing row: values that count as absent.</summary>
    public IReadOnlyList<string> MissingValues { get; init; } = [];

    /// <summary>From a <c>nullValues</c> rule that allows no failing row.</summary>
    public bool NotNull { get; init; }

    public PropertySchema? Items { get; init; }

    public IReadOnlyList<PropertySchema> Properties { get; init; } = [];

    public UnknownFieldPolicy UnknownFields { get; init; } = UnknownFieldPolicy.Reject;

    public IReadOnlyList<QualityRule> Quality { get; init; } = [];

    /// <summary>Finds a child property by name, or null.</summary>
    public PropertySchema? Property(string name)
    {
        foreach (var property in Properties)
        {
            if (property.Name == name)
            {
                return property;
            }
        }

        return null;
    }
}

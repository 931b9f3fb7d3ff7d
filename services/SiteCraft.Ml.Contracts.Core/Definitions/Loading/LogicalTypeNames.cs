using System.Collections.Frozen;

namespace SiteCraft.Ml.Contracts.Core.Definitions.Loading;

/// <summary>The ODCS spelling of each <see cref="LogicalType"/>, and how messages name one.</summary>
internal static class LogicalTypeNames
{
    public static FrozenDictionary<string, LogicalType> ByName { get; } = new Dictionary<string, LogicalType>
    {
        ["string"] = LogicalType.String,
        ["integer"] = LogicalType.Integer,
        ["number"] = LogicalType.Number,
        ["boolean"] = LogicalType.Boolean,
        ["date"] = LogicalType.Date,
        ["timestamp"] = LogicalType.Timestamp,
        ["object"] = LogicalType.Object,
        ["array"] = LogicalType.Array,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>"an array", "a string": the type as a message names it.</summary>
    public static string WithArticle(LogicalType type) => type switch
    {
        LogicalType.Array => "an array",
        LogicalType.Object => "an object",
        LogicalType.Integer => "an integer",
        _ => "a " + type.ToString().ToLowerInvariant(),
    };
}

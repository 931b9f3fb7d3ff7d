using System.Collections.Frozen;
using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Contracts.Core.Definitions.Loading;

/// <summary>Reads the contract's <c>slaProperties</c>: the freshness entry validation and the table checks use.</summary>
internal sealed class SlaReader(YamlNodes y)
{
    private static readonly FrozenDictionary<string, TimeSpan> s_units = new Dictionary<string, TimeSpan>
    {
        ["min"] = TimeSpan.FromMinutes(1),
        ["h"] = TimeSpan.FromHours(1),
        ["d"] = TimeSpan.FromDays(1),
        ["day"] = TimeSpan.FromDays(1),
        ["days"] = TimeSpan.FromDays(1),
        ["w"] = TimeSpan.FromDays(7),
        ["y"] = TimeSpan.FromDays(365),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The freshness SLA, whose element must name a timestamp or date property of <paramref name="schema"/>.</summary>
    public Freshness? Freshness(YamlNode node, PropertySchema? schema)
    {
        if (y.Sequence(node, "slaProperties") is not { } list)
        {
            return null;
        }

        foreach (var item in list)
        {
            if (y.Mapping(item, "an SLA property") is not { } map || YamlNodes.Get(map, "property") is not YamlScalarNode { Value: "freshness" })
            {
                continue;
            }

            const string Where = "the freshness SLA";
            var value = y.Required(map, "value", Where) is { } valueNode ? y.Number(valueNode, "the freshness value") : null;
            if (value <= 0)
            {
                y.Error(YamlNodes.Get(map, "value")!, "the freshness value must be above 0");
                value = null;
            }

            var unitText = y.RequiredString(map, "unit", Where);
            TimeSpan unit = default;
            if (unitText is not null && !s_units.TryGetValue(unitText, out unit))
            {
                y.Error(YamlNodes.Get(map, "unit")!, $"freshness unit '{unitText}' must be one of: {string.Join(", ", s_units.Keys.Order(StringComparer.Ordinal))}");
                unitText = null;
            }

            var element = y.RequiredString(map, "element", Where);
            if (element is not null && schema is not null)
            {
                var dot = element.IndexOf('.', StringComparison.Ordinal);
                var column = dot > 0 && element[..dot] == schema.Name ? schema.Property(element[(dot + 1)..]) : null;
                if (column is not { LogicalType: LogicalType.Timestamp or LogicalType.Date })
                {
                    y.Error(YamlNodes.Get(map, "element")!, $"the freshness element '{element}' must name a timestamp or date property as {schema.Name}.<property>");
                    element = null;
                }
            }

            return value is null || unitText is null || element is null ? null : new Freshness(unit * value.Value, element);
        }

        y.Error(node, "slaProperties needs a freshness entry (property: freshness, value, unit, element)");
        return null;
    }
}

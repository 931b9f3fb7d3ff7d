using System.Collections.Frozen;
using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Contracts.Core.Definitions.Loading;

/// <summary>
/// Reads ODCS quality rules (<c>metric</c>, <c>arguments</c>, one <c>mustBe…</c> comparison) and
/// the valid values of an <c>invalidValues</c> rule, in the type of the property they guard.
/// </summary>
internal sealed class QualityRuleReader(YamlNodes y)
{
    private static readonly FrozenSet<string> s_ruleKeys = YamlNodes.Keys(
        "metric", "type", "name", "description", "dimension", "severity", "businessImpact", "unit", "arguments",
        "schedule", "scheduler", "tags", "authoritativeDefinitions", "customProperties",
        "mustBe", "mustNotBe", "mustBeGreaterThan", "mustBeGreaterOrEqualTo", "mustBeLessThan", "mustBeLessOrEqualTo",
        "mustBeBetween", "mustNotBeBetween");

    private static readonly FrozenDictionary<string, ComparisonOperator> s_operators = new Dictionary<string, ComparisonOperator>
    {
        ["mustBe"] = ComparisonOperator.MustBe,
        ["mustNotBe"] = ComparisonOperator.MustNotBe,
        ["mustBeGreaterThan"] = ComparisonOperator.MustBeGreaterThan,
        ["mustBeGreaterOrEqualTo"] = ComparisonOperator.MustBeGreaterOrEqualTo,
        ["mustBeLessThan"] = ComparisonOperator.MustBeLessThan,
        ["mustBeLessOrEqualTo"] = ComparisonOperator.MustBeLessOrEqualTo,
        ["mustBeBetween"] = ComparisonOperator.MustBeBetween,
        ["mustNotBeBetween"] = ComparisonOperator.MustNotBeBetween,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The property with its rules, and with the constraints of per-record rules (valid values, missing values, not null) folded in.</summary>
    public PropertySchema Rules(YamlNode node, PropertySchema property, string at, bool isRoot)
    {
        if (y.Sequence(node, $"the quality rules of {at}") is not { } list)
        {
            return property;
        }

        var rules = new List<QualityRule>();
        foreach (var ruleNode in list)
        {
            if (Rule(ruleNode, property, at, isRoot) is { } rule)
            {
                rules.Add(rule);
                property = rule switch
                {
                    { PerRecord: true, Metric: "invalidValues" } => property with { ValidValues = (AllowedValues)rule.Arguments["validValues"] },
                    { PerRecord: true, Metric: "missingValues" } => property with { MissingValues = (IReadOnlyList<string>)rule.Arguments["missingValues"] },
                    { PerRecord: true, Metric: "nullValues" } => property with { NotNull = true },
                    _ => property,
                };
            }
        }

        return property with { Quality = rules };
    }

    private QualityRule? Rule(YamlNode node, PropertySchema property, string at, bool isRoot)
    {
        var where = $"a quality rule of {at}";
        if (y.Mapping(node, where) is not { } map)
        {
            return null;
        }

        y.CheckKeys(map, where, s_ruleKeys);
        if (y.OptionalString(map, "type", where) is { } type && type != "library")
        {
            y.Error(YamlNodes.Get(map, "type")!, $"quality rule type '{type}' is not supported here; only library metrics (the default) are checked");
            return null;
        }

        var metric = y.RequiredString(map, "metric", where);
        string[] metrics = isRoot ? ["rowCount", "duplicateValues"] : ["nullValues", "missingValues", "invalidValues", "duplicateValues"];
        if (metric is not null && !metrics.Contains(metric))
        {
            y.Error(YamlNodes.Get(map, "metric")!, $"unknown metric '{metric}' for {at}; expected one of: {string.Join(", ", metrics)}");
            return null;
        }

        var operators = map.Children.Keys.OfType<YamlScalarNode>().Where(k => s_operators.ContainsKey(k.Value!)).ToList();
        if (operators.Count != 1)
        {
            y.Error(map, operators.Count == 0
                ? $"{where} needs one comparison (mustBe, mustBeLessThan, mustBeGreaterThan, mustBeBetween, …)"
                : $"{where} has {operators.Count} comparisons ({string.Join(", ", operators.Select(o => o.Value))}); give exactly one");
            return null;
        }

        var operatorName = operators[0].Value!;
        var op = s_operators[operatorName];
        var valueNode = map.Children[operators[0]];
        double? threshold;
        double? upper = null;
        if (op is ComparisonOperator.MustBeBetween or ComparisonOperator.MustNotBeBetween)
        {
            if (valueNode is not YamlSequenceNode { Children.Count: 2 } pair)
            {
                y.Error(valueNode, $"{operatorName} takes a list of two numbers, [low, high]");
                return null;
            }

            threshold = y.Number(pair.Children[0], $"the low end of {operatorName}");
            upper = y.Number(pair.Children[1], $"the high end of {operatorName}");
            if (threshold >= upper)
            {
                y.Error(valueNode, $"{operatorName} needs low < high");
            }
        }
        else
        {
            threshold = y.Number(valueNode, $"{operatorName} in {where}");
        }

        var unit = QualityUnit.Rows;
        if (y.OptionalString(map, "unit", where) is { } unitText)
        {
            switch (unitText)
            {
                case "rows":
                    break;
                case "percent":
                    unit = QualityUnit.Percent;
                    break;
                default:
                    y.Error(YamlNodes.Get(map, "unit")!, $"unit '{unitText}' must be rows or percent");
                    break;
            }
        }

        if (threshold < 0 || (unit == QualityUnit.Percent && (threshold > 100 || upper > 100)))
        {
            y.Error(valueNode, unit == QualityUnit.Percent ? $"{operatorName} must be between 0 and 100 percent" : $"{operatorName} cannot be negative; metrics count rows");
        }

        if (metric is null || threshold is null)
        {
            return null;
        }

        var arguments = Arguments(map, metric, property, where);
        if (arguments is null)
        {
            return null;
        }

        // A rule that tolerates no failing row can be judged on each record on its own.
        var perRecord = !isRoot && unit == QualityUnit.Rows && metric is "nullValues" or "missingValues" or "invalidValues"
            && ((op == ComparisonOperator.MustBe && threshold == 0)
                || (op == ComparisonOperator.MustBeLessThan && threshold == 1)
                || (op == ComparisonOperator.MustBeLessOrEqualTo && threshold == 0));

        return new QualityRule(metric, op, threshold.Value, upper, unit, y.OptionalString(map, "description", where), arguments, perRecord);
    }

    private Dictionary<string, object>? Arguments(YamlMappingNode rule, string metric, PropertySchema property, string where)
    {
        var node = YamlNodes.Get(rule, "arguments");
        var map = node is null ? null : y.Mapping(node, $"the arguments of {where}");
        if (node is not null && map is null)
        {
            return null;
        }

        string[] expected = metric switch
        {
            "invalidValues" => ["validValues"],
            "missingValues" => ["missingValues"],
            "duplicateValues" => ["properties"],
            _ => [],
        };

        if (map is not null)
        {
            y.CheckKeys(map, $"the arguments of {where}", YamlNodes.Keys(expected));
        }

        var arguments = new Dictionary<string, object>(StringComparer.Ordinal);
        switch (metric)
        {
            case "invalidValues":
                if ((map is null ? null : y.Required(map, "validValues", $"the arguments of {where}")) is not { } valuesNode)
                {
                    if (map is null)
                    {
                        y.Error(rule, $"{where}: invalidValues needs arguments.validValues");
                    }

                    return null;
                }

                if (ValidValues(valuesNode, property) is not { } allowed)
                {
                    return null;
                }

                arguments["validValues"] = allowed;
                break;
            case "missingValues":
                var missing = map is not null && YamlNodes.Get(map, "missingValues") is { } missingNode
                    ? y.StringList(missingNode, "missingValues")
                    : [""];
                arguments["missingValues"] = missing;
                break;
            case "duplicateValues":
                if (map is not null && YamlNodes.Get(map, "properties") is { } propertiesNode)
                {
                    arguments["properties"] = y.StringList(propertiesNode, "the properties of duplicateValues");
                }

                break;
        }

        return arguments;
    }

    private AllowedValues? ValidValues(YamlNode node, PropertySchema property)
    {
        if (y.Sequence(node, "validValues") is not { } list)
        {
            return null;
        }

        if (list.Children.Count == 0)
        {
            y.Error(node, "validValues is empty, so no record could pass");
            return null;
        }

        var strings = new List<string>();
        var booleans = new List<bool>();
        var numbers = new List<double>();
        var ok = true;
        foreach (var item in list)
        {
            switch (property.LogicalType)
            {
                case LogicalType.Boolean:
                    if (y.Bool(item, $"a valid value of boolean '{property.Name}'") is { } b)
                    {
                        booleans.Add(b);
                    }
                    else
                    {
                        ok = false;
                    }

                    break;
                case LogicalType.Integer or LogicalType.Number:
                    if (y.Number(item, $"a valid value of '{property.Name}'") is { } n)
                    {
                        numbers.Add(n);
                    }
                    else
                    {
                        ok = false;
                    }

                    break;
                case LogicalType.String:
                    if (y.Scalar(item, $"a valid value of '{property.Name}'") is { } s)
                    {
                        strings.Add(s);
                    }
                    else
                    {
                        ok = false;
                    }

                    break;
                default:
                    y.Error(item, $"validValues applies to strings, numbers and booleans, and '{property.Name}' is {LogicalTypeNames.WithArticle(property.LogicalType)}");
                    return null;
            }
        }

        return ok ? new AllowedValues(strings, booleans, numbers) : null;
    }
}

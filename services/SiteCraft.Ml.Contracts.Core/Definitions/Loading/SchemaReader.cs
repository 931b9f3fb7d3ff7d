using System.Collections.Frozen;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Contracts.Core.Definitions.Loading;

/// <summary>
/// Reads the contract's <c>schema</c>: the one schema object, its properties (nested objects and
/// array items included), their logical types and <c>logicalTypeOptions</c>, and the custom
/// properties validation uses (<c>unknownFields</c>, <c>maxDepth</c>). Quality rules are handed to
/// <see cref="QualityRuleReader"/>.
/// </summary>
internal sealed class SchemaReader(YamlNodes y, QualityRuleReader rules)
{
    /// <summary>How deep a record may nest when the contract does not say.</summary>
    private const int DefaultMaxDepth = 64;

    private static readonly FrozenSet<string> s_propertyKeys = YamlNodes.Keys(
        "name", "logicalType", "physicalType", "physicalName", "required", "unique", "primaryKey", "primaryKeyPosition",
        "partitioned", "partitionKeyPosition", "classification", "description", "businessName", "tags", "examples",
        "logicalTypeOptions", "items", "properties", "quality", "customProperties", "criticalDataElement",
        "encryptedName", "transformLogic", "transformSourceObjects", "transformDescription", "authoritativeDefinitions");

    /// <summary>The schema object and the nesting depth its records may reach.</summary>
    public (PropertySchema? Schema, int MaxDepth) Schema(YamlNode node)
    {
        if (y.Sequence(node, "schema") is not { } list)
        {
            return (null, 0);
        }

        if (list.Children.Count != 1)
        {
            y.Error(node, $"schema must hold exactly one object (the table records land in), not {list.Children.Count}");
            return (null, 0);
        }

        var objectNode = list.Children[0];
        var schema = Property(objectNode, "the schema object", isRoot: true);
        if (schema is not null && schema.LogicalType != LogicalType.Object)
        {
            y.Error(objectNode, "the schema object must have logicalType object");
        }

        var maxDepth = DefaultMaxDepth;
        if (y.Mapping(objectNode, "the schema object") is { } map
            && y.CustomProperty(map, "maxDepth") is { } depthNode
            && y.Integer(depthNode, "customProperty maxDepth", 2, 256) is { } depth)
        {
            maxDepth = (int)depth;
        }

        return (schema, maxDepth);
    }

    private PropertySchema? Property(YamlNode node, string where, bool isRoot = false, bool isItems = false)
    {
        if (y.Mapping(node, where) is not { } map)
        {
            return null;
        }

        y.CheckKeys(map, where, s_propertyKeys);
        var name = isItems ? y.OptionalString(map, "name", where) ?? "items" : y.RequiredString(map, "name", where);
        var at = name is null ? where : isRoot ? $"schema object '{name}'" : $"property '{name}'";

        var typeText = y.RequiredString(map, "logicalType", at);
        LogicalType? type = null;
        if (typeText is not null)
        {
            if (LogicalTypeNames.ByName.TryGetValue(typeText, out var known))
            {
                type = known;
            }
            else
            {
                y.Error(YamlNodes.Get(map, "logicalType")!, $"unknown logicalType '{typeText}' for {at}; expected one of: {string.Join(", ", LogicalTypeNames.ByName.Keys.Order(StringComparer.Ordinal))}");
            }
        }

        var required = y.OptionalBool(map, "required", at) ?? false;
        var unique = y.OptionalBool(map, "unique", at) ?? false;
        _ = y.OptionalBool(map, "primaryKey", at);
        var physicalName = y.OptionalString(map, "physicalName", at);
        var classification = y.OptionalString(map, "classification", at);

        var property = new PropertySchema
        {
            Name = name ?? "?",
            PhysicalName = physicalName,
            Classification = classification,
            LogicalType = type ?? LogicalType.String,
            Required = required,
            Unique = unique,
        };
        if (type is null)
        {
            return null;
        }

        if (YamlNodes.Get(map, "logicalTypeOptions") is { } optionsNode)
        {
            property = Options(optionsNode, property, at);
        }

        property = property with { UnknownFields = UnknownFields(map, at) };
        property = Children(map, property, at);

        if (YamlNodes.Get(map, "quality") is { } qualityNode)
        {
            property = rules.Rules(qualityNode, property, at, isRoot);
        }

        return name is null ? null : property;
    }

    private PropertySchema Children(YamlMappingNode map, PropertySchema property, string at)
    {
        var itemsNode = YamlNodes.Get(map, "items");
        var propertiesNode = YamlNodes.Get(map, "properties");

        if (property.LogicalType == LogicalType.Array)
        {
            if (itemsNode is null)
            {
                y.Error(map, $"{at} is an array and needs 'items'");
            }
            else
            {
                property = property with { Items = Property(itemsNode, $"the items of {at}", isItems: true) };
            }
        }
        else if (itemsNode is not null)
        {
            y.Error(itemsNode, $"'items' applies to arrays, and {at} is {LogicalTypeNames.WithArticle(property.LogicalType)}");
        }

        if (propertiesNode is not null)
        {
            if (property.LogicalType != LogicalType.Object)
            {
                y.Error(propertiesNode, $"'properties' applies to objects, and {at} is {LogicalTypeNames.WithArticle(property.LogicalType)}");
            }
            else if (y.Sequence(propertiesNode, $"the properties of {at}") is { } list)
            {
                var children = new List<PropertySchema>();
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var child in list)
                {
                    if (Property(child, $"a property of {at}") is { } parsed)
                    {
                        if (names.Add(parsed.Name))
                        {
                            children.Add(parsed);
                        }
                        else
                        {
                            y.Error(child, $"property '{parsed.Name}' is defined twice in {at}");
                        }
                    }
                }

                property = property with { Properties = children };
            }
        }

        return property;
    }

    private PropertySchema Options(YamlNode node, PropertySchema property, string at)
    {
        if (y.Mapping(node, $"logicalTypeOptions of {at}") is not { } map)
        {
            return property;
        }

        var where = $"logicalTypeOptions of {at}";
        var type = LogicalTypeNames.WithArticle(property.LogicalType);
        string[] allowed = property.LogicalType switch
        {
            LogicalType.String => ["minLength", "maxLength", "pattern", "format"],
            LogicalType.Integer or LogicalType.Number => ["minimum", "maximum"],
            LogicalType.Array => ["minItems", "maxItems"],
            _ => [],
        };

        foreach (var (keyNode, _) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(key))
            {
                var hint = allowed.Length == 0 ? $"{type} takes no options" : $"{type} takes: {string.Join(", ", allowed)}";
                y.Error(keyNode, $"'{key}' does not apply to {at}; {hint}");
            }
        }

        var minLength = y.OptionalInt(map, "minLength", where);
        var maxLength = y.OptionalInt(map, "maxLength", where);
        if (minLength > maxLength)
        {
            y.Error(YamlNodes.Get(map, "minLength")!, $"minLength {minLength} is greater than maxLength {maxLength} in {at}");
        }

        var minItems = y.OptionalInt(map, "minItems", where);
        var maxItems = y.OptionalInt(map, "maxItems", where);
        if (minItems > maxItems)
        {
            y.Error(YamlNodes.Get(map, "minItems")!, $"minItems {minItems} is greater than maxItems {maxItems} in {at}");
        }

        var minimum = YamlNodes.Get(map, "minimum") is { } minNode ? y.Number(minNode, $"'minimum' in {where}") : null;
        var maximum = YamlNodes.Get(map, "maximum") is { } maxNode ? y.Number(maxNode, $"'maximum' in {where}") : null;
        if (minimum > maximum)
        {
            y.Error(YamlNodes.Get(map, "minimum")!, $"minimum is greater than maximum in {at}");
        }

        // Only formats validation enforces are accepted: a format that is silently ignored is a rule nobody checks.
        var format = y.OptionalString(map, "format", where);
        if (format is not null && format != "uuid")
        {
            y.Error(YamlNodes.Get(map, "format")!, $"format '{format}' of {at} is not one validation checks; use uuid, or a pattern");
            format = null;
        }

        string? patternText = null;
        Regex? pattern = null;
        if (YamlNodes.Get(map, "pattern") is { } patternNode && y.Scalar(patternNode, $"'pattern' in {where}") is { } text)
        {
            patternText = text;
            pattern = y.Pattern(patternNode, text, $"the pattern of {at}");
        }

        return property with
        {
            Format = format,
            MinLength = minLength,
            MaxLength = maxLength,
            MinItems = minItems,
            MaxItems = maxItems,
            Minimum = minimum,
            Maximum = maximum,
            PatternText = patternText,
            Pattern = pattern,
        };
    }

    private UnknownFieldPolicy UnknownFields(YamlMappingNode map, string at)
    {
        if (y.CustomProperty(map, "unknownFields") is not { } node)
        {
            return UnknownFieldPolicy.Reject;
        }

        switch (y.Scalar(node, $"customProperty unknownFields of {at}"))
        {
            case "reject":
                return UnknownFieldPolicy.Reject;
            case "allow":
                return UnknownFieldPolicy.Allow;
            case { } other:
                y.Error(node, $"unknownFields '{other}' must be reject or allow");
                break;
        }

        return UnknownFieldPolicy.Reject;
    }
}

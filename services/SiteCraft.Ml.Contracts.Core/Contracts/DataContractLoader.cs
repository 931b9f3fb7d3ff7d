using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PhoneNumbers;
using SiteCraft.Ml.Contracts.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Contracts.Core.Contracts;

/// <summary>
/// Loads a data contract from YAML and checks it: required keys, semantic version, logical
/// types, regexes, quality rule shapes, SLA and curation settings. Every problem is reported
/// with the file, line and column, so a malformed contract fails the start with a message a
/// person can act on.
/// </summary>
public static partial class DataContractLoader
{
    private const string SupportedKind = "DataContract";

    private static readonly FrozenSet<string> s_topKeys = Keys(
        "apiVersion", "kind", "id", "name", "version", "status", "domain", "dataProduct", "tenant", "description",
        "tags", "schema", "slaProperties", "slaDefaultElement", "support", "team", "roles", "price", "servers",
        "authoritativeDefinitions", "customProperties", "contractCreatedTs", "curation");

    private static readonly FrozenSet<string> s_propertyKeys = Keys(
        "name", "logicalType", "physicalType", "physicalName", "required", "unique", "primaryKey", "primaryKeyPosition",
        "partitioned", "partitionKeyPosition", "classification", "description", "businessName", "tags", "examples",
        "logicalTypeOptions", "items", "properties", "quality", "customProperties", "criticalDataElement",
        "encryptedName", "transformLogic", "transformSourceObjects", "transformDescription", "authoritativeDefinitions");

    private static readonly FrozenSet<string> s_ruleKeys = Keys(
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

    private static readonly FrozenDictionary<string, LogicalType> s_logicalTypes = new Dictionary<string, LogicalType>
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

    // The values ai_data_contracts.status accepts.
    private static readonly FrozenSet<string> s_statuses = Keys("draft", "active", "deprecated");

    private static readonly FrozenDictionary<string, TimeSpan> s_slaUnits = new Dictionary<string, TimeSpan>
    {
        ["min"] = TimeSpan.FromMinutes(1),
        ["h"] = TimeSpan.FromHours(1),
        ["d"] = TimeSpan.FromDays(1),
        ["day"] = TimeSpan.FromDays(1),
        ["days"] = TimeSpan.FromDays(1),
        ["w"] = TimeSpan.FromDays(7),
        ["y"] = TimeSpan.FromDays(365),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Reads and checks a contract file.</summary>
    /// <exception cref="ContractLoadException">The file is not a valid contract; the message names file, line, column and problem.</exception>
    public static async Task<DataContract> LoadFileAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        return Load(bytes, path);
    }

    /// <inheritdoc cref="Load(ReadOnlySpan{byte}, string)"/>
    public static DataContract Load(string yaml, string source) => Load(Encoding.UTF8.GetBytes(yaml), source);

    /// <summary>Checks a contract given as UTF-8 bytes; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ContractLoadException">The contract is invalid.</exception>
    public static DataContract Load(ReadOnlySpan<byte> utf8, string source) =>
        TryLoad(utf8, source, out var contract, out var errors) ? contract : throw new ContractLoadException(errors);

    /// <summary>Checks a contract without throwing; on failure <paramref name="errors"/> holds every problem found.</summary>
    public static bool TryLoad(ReadOnlySpan<byte> utf8, string source, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DataContract? contract, out IReadOnlyList<ContractError> errors)
    {
        contract = null;
        var nodes = new YamlNodes(source);
        errors = nodes.Errors;

        if (Utf8Text.FirstInvalidByte(utf8) is var invalid && invalid >= 0)
        {
            var (line, column) = Utf8Text.LineAndColumn(utf8, invalid);
            nodes.Error(new Mark(invalid, line, column), $"the file is not valid UTF-8 (byte 0x{utf8[invalid]:x2} at offset {invalid})");
            return false;
        }

        var body = Encoding.UTF8.GetString(utf8);
        var stream = new YamlStream();
        var parser = new YamlDotNet.Core.Parser(new StringReader(body));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            nodes.Error(e.Start, $"not valid YAML: {YamlProblem(e)}");
            return false;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some broken flow collections; the last event read marks the spot.
            nodes.Error(parser.Current?.End ?? new Mark(0, 1, 1), "not valid YAML: the structure breaks off here (an unclosed [ or { ?)");
            return false;
        }

        if (stream.Documents.Count == 0)
        {
            nodes.Error(new Mark(0, 1, 1), "the file is empty; expected a data contract");
            return false;
        }

        if (stream.Documents.Count > 1)
        {
            nodes.Error(stream.Documents[1].RootNode, "a contract file holds one YAML document, this one has more");
            return false;
        }

        var parsed = new Parser(nodes).Contract(stream.Documents[0].RootNode);
        if (parsed is null || nodes.Errors.Count > 0)
        {
            return false;
        }

        contract = parsed with
        {
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(utf8)),
            Body = body,
            Source = source,
        };
        return true;
    }

    private static string YamlProblem(YamlException e)
    {
        // YamlDotNet prefixes the position, which the error already carries.
        var message = e.Message;
        var dash = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && dash > 0 ? message[(dash + 3)..] : message;
    }

    private static FrozenSet<string> Keys(params string[] keys) => keys.ToFrozenSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();

    [GeneratedRegex(@"^v3\.\d+\.\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex OdcsVersion();

    [GeneratedRegex(@"^[a-z][a-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ContractId();

    private sealed class Parser(YamlNodes y)
    {
        private const string Top = "the contract";

        public DataContract? Contract(YamlNode root)
        {
            if (y.Mapping(root, Top) is not { } map)
            {
                return null;
            }

            y.CheckKeys(map, Top, s_topKeys);

            var apiVersion = y.RequiredString(map, "apiVersion", Top);
            if (apiVersion is not null && !OdcsVersion().IsMatch(apiVersion))
            {
                y.Error(YamlNodes.Get(map, "apiVersion")!, $"apiVersion '{apiVersion}' is not an ODCS v3 version such as v3.0.2");
            }

            var kind = y.RequiredString(map, "kind", Top);
            if (kind is not null && kind != SupportedKind)
            {
                y.Error(YamlNodes.Get(map, "kind")!, $"kind must be {SupportedKind}, not '{kind}'");
            }

            var id = y.RequiredString(map, "id", Top);
            if (id is not null && !ContractId().IsMatch(id))
            {
                y.Error(YamlNodes.Get(map, "id")!, $"id '{id}' must be lowercase letters, digits, '_', '.' or '-', starting with a letter");
            }

            var version = y.RequiredString(map, "version", Top);
            if (version is not null && !SemanticVersion().IsMatch(version))
            {
                y.Error(YamlNodes.Get(map, "version")!, $"version '{version}' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.0.0)");
            }

            var status = y.RequiredString(map, "status", Top);
            if (status is not null && !s_statuses.Contains(status))
            {
                y.Error(YamlNodes.Get(map, "status")!, $"status '{status}' must be one of: draft, active, deprecated");
            }

            var name = y.OptionalString(map, "name", Top);
            var (schema, maxDepth) = y.Required(map, "schema", Top) is { } schemaNode ? Schema(schemaNode) : (null, 0);
            var freshness = y.Required(map, "slaProperties", Top) is { } slaNode ? Sla(slaNode, schema) : null;
            var curation = y.Required(map, "curation", Top) is { } curationNode ? Curation(curationNode) : null;

            if (apiVersion is null || id is null || version is null || status is null || schema is null || freshness is null || curation is null)
            {
                return null;
            }

            return new DataContract
            {
                ApiVersion = apiVersion,
                Id = id,
                Name = name,
                Version = version,
                Status = status,
                Schema = schema,
                MaxDepth = maxDepth,
                Freshness = freshness,
                Curation = curation,
                Sha256 = "",
                Body = "",
                Source = "",
            };
        }

        private (PropertySchema? Schema, int MaxDepth) Schema(YamlNode node)
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

            var maxDepth = 64;
            if (y.Mapping(objectNode, "the schema object") is { } map
                && CustomProperty(map, "maxDepth") is { } depthNode
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
                if (s_logicalTypes.TryGetValue(typeText, out var known))
                {
                    type = known;
                }
                else
                {
                    y.Error(YamlNodes.Get(map, "logicalType")!, $"unknown logicalType '{typeText}' for {at}; expected one of: {string.Join(", ", s_logicalTypes.Keys.Order(StringComparer.Ordinal))}");
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
                property = Rules(qualityNode, property, at, isRoot);
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
                y.Error(itemsNode, $"'items' applies to arrays, and {at} is {Name(property.LogicalType)}");
            }

            if (propertiesNode is not null)
            {
                if (property.LogicalType != LogicalType.Object)
                {
                    y.Error(propertiesNode, $"'properties' applies to objects, and {at} is {Name(property.LogicalType)}");
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
                    var hint = allowed.Length == 0 ? $"{Name(property.LogicalType)} takes no options" : $"{Name(property.LogicalType)} takes: {string.Join(", ", allowed)}";
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
                pattern = Compile(patternNode, text, $"the pattern of {at}");
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

        private PropertySchema Rules(YamlNode node, PropertySchema property, string at, bool isRoot)
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
                y.CheckKeys(map, $"the arguments of {where}", Keys(expected));
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
                        y.Error(item, $"validValues applies to strings, numbers and booleans, and '{property.Name}' is {Name(property.LogicalType)}");
                        return null;
                }
            }

            return ok ? new AllowedValues(strings, booleans, numbers) : null;
        }

        private UnknownFieldPolicy UnknownFields(YamlMappingNode map, string at)
        {
            if (CustomProperty(map, "unknownFields") is not { } node)
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

        /// <summary>The value node of an ODCS custom property (<c>- property: NAME, value: …</c>), or null.</summary>
        private YamlNode? CustomProperty(YamlMappingNode map, string name)
        {
            if (YamlNodes.Get(map, "customProperties") is not { } node || y.Sequence(node, "customProperties") is not { } list)
            {
                return null;
            }

            foreach (var item in list)
            {
                if (item is YamlMappingNode entry && YamlNodes.Get(entry, "property") is YamlScalarNode { Value: var property } && property == name)
                {
                    var value = y.Required(entry, "value", $"customProperty {name}");
                    return value;
                }
            }

            return null;
        }

        private Freshness? Sla(YamlNode node, PropertySchema? schema)
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
                if (unitText is not null && !s_slaUnits.TryGetValue(unitText, out unit))
                {
                    y.Error(YamlNodes.Get(map, "unit")!, $"freshness unit '{unitText}' must be one of: {string.Join(", ", s_slaUnits.Keys.Order(StringComparer.Ordinal))}");
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

        private CurationPolicy? Curation(YamlNode node)
        {
            const string Where = "curation";
            if (y.Mapping(node, Where) is not { } map)
            {
                return null;
            }

            y.CheckKeys(map, Where, Keys("normalization", "pii", "dedup", "quality"));
            var normalization = y.Required(map, "normalization", Where) is { } n ? Normalization(n) : null;
            var pii = y.Required(map, "pii", Where) is { } p ? Pii(p) : null;
            var dedup = y.Required(map, "dedup", Where) is { } d ? Dedup(d) : null;
            var quality = y.Required(map, "quality", Where) is { } q ? Quality(q) : null;
            return normalization is null || pii is null || dedup is null || quality is null ? null : new CurationPolicy(normalization, pii, dedup, quality);
        }

        private NormalizationPolicy? Normalization(YamlNode node)
        {
            const string Where = "curation.normalization";
            if (y.Mapping(node, Where) is not { } map)
            {
                return null;
            }

            y.CheckKeys(map, Where, Keys("unicode", "whitespace", "fields"));
            if (y.RequiredString(map, "unicode", Where) is { } form && form != "NFC")
            {
                y.Error(YamlNodes.Get(map, "unicode")!, $"unicode normalisation '{form}' is not supported; use NFC");
            }

            if (y.RequiredString(map, "whitespace", Where) is { } whitespace && whitespace != "trim")
            {
                y.Error(YamlNodes.Get(map, "whitespace")!, $"whitespace normalisation '{whitespace}' is not supported; use trim");
            }

            var fields = y.Required(map, "fields", Where) is { } f ? Fields(f, CuratedFields.Prose, Where) : null;
            return fields is null ? null : new NormalizationPolicy(fields);
        }

        private PiiPolicy? Pii(YamlNode node)
        {
            const string Where = "curation.pii";
            if (y.Mapping(node, Where) is not { } map)
            {
                return null;
            }

            y.CheckKeys(map, Where, Keys("defaultRegion", "fields"));
            var region = y.RequiredString(map, "defaultRegion", Where);
            if (region is not null && !PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(region))
            {
                y.Error(YamlNodes.Get(map, "defaultRegion")!, $"defaultRegion '{region}' is not a region libphonenumber knows (use an ISO 3166 code such as US or DE)");
                region = null;
            }

            var policies = new Dictionary<string, PiiAction>(StringComparer.Ordinal);
            if (y.Required(map, "fields", Where) is { } fieldsNode && y.Sequence(fieldsNode, $"{Where}.fields") is { } list)
            {
                foreach (var item in list)
                {
                    if (y.Mapping(item, $"an entry of {Where}.fields") is not { } entry)
                    {
                        continue;
                    }

                    y.CheckKeys(entry, $"an entry of {Where}.fields", Keys("field", "policy"));
                    var field = y.RequiredString(entry, "field", $"an entry of {Where}.fields");
                    var policyText = y.RequiredString(entry, "policy", $"an entry of {Where}.fields");
                    PiiAction? action = policyText switch
                    {
                        "redact" => PiiAction.Redact,
                        "reject" => PiiAction.Reject,
                        "allow" => PiiAction.Allow,
                        null => null,
                        _ => Invalid(YamlNodes.Get(entry, "policy")!, $"PII policy '{policyText}' must be redact, reject or allow"),
                    };

                    if (field is null || action is null)
                    {
                        continue;
                    }

                    var fieldNode = YamlNodes.Get(entry, "field")!;
                    if (!CuratedFields.Text.Contains(field))
                    {
                        y.Error(fieldNode, $"'{field}' is not a text field PII scanning can look at; expected one of: {string.Join(", ", CuratedFields.Text.Order(StringComparer.Ordinal))}");
                    }
                    else if (action == PiiAction.Redact && !CuratedFields.Prose.Contains(field))
                    {
                        y.Error(fieldNode, $"'{field}' is an identifier, so it cannot be redacted; use reject or allow");
                    }
                    else if (!policies.TryAdd(field, action.Value))
                    {
                        y.Error(fieldNode, $"'{field}' has a PII policy twice");
                    }
                }
            }

            return region is null ? null : new PiiPolicy(region, policies);
        }

        private PiiAction? Invalid(YamlNode node, string message)
        {
            y.Error(node, message);
            return null;
        }

        private DedupPolicy? Dedup(YamlNode node)
        {
            const string Where = "curation.dedup";
            if (y.Mapping(node, Where) is not { } map)
            {
                return null;
            }

            y.CheckKeys(map, Where, Keys("exact", "near"));
            List<string>? exact = null;
            if (y.Required(map, "exact", Where) is { } exactNode && y.Mapping(exactNode, $"{Where}.exact") is { } exactMap)
            {
                y.CheckKeys(exactMap, $"{Where}.exact", Keys("fields"));
                exact = y.Required(exactMap, "fields", $"{Where}.exact") is { } f ? Fields(f, CuratedFields.DedupKey, $"{Where}.exact") : null;
            }

            var near = y.Required(map, "near", Where) is { } nearNode ? Near(nearNode) : null;
            return exact is null || near is null ? null : new DedupPolicy(exact, near);
        }

        private MinHashSettings? Near(YamlNode node)
        {
            const string Where = "curation.dedup.near";
            if (y.Mapping(node, Where) is not { } map)
            {
                return null;
            }

            y.CheckKeys(map, Where, Keys("method", "fields", "shingles", "permutations", "bands", "rows", "jaccardThreshold", "confirmThreshold", "seed"));
            if (y.RequiredString(map, "method", Where) is { } method && method != "minhash-lsh")
            {
                y.Error(YamlNodes.Get(map, "method")!, $"near-dedup method '{method}' is not supported; use minhash-lsh");
            }

            var fields = y.Required(map, "fields", Where) is { } f ? Fields(f, CuratedFields.Prose, Where) : null;
            ShingleUnit? unit = null;
            int? size = null;
            if (y.Required(map, "shingles", Where) is { } shinglesNode && y.Mapping(shinglesNode, $"{Where}.shingles") is { } shingles)
            {
                y.CheckKeys(shingles, $"{Where}.shingles", Keys("unit", "size"));
                unit = y.RequiredString(shingles, "unit", $"{Where}.shingles") switch
                {
                    "word" => ShingleUnit.Word,
                    "char" => ShingleUnit.Character,
                    null => null,
                    var other => InvalidUnit(YamlNodes.Get(shingles, "unit")!, other),
                };
                size = y.Required(shingles, "size", $"{Where}.shingles") is not null ? y.OptionalInt(shingles, "size", $"{Where}.shingles", 1, 32) : null;
            }

            var permutations = Int(map, "permutations", Where, 16, 1024);
            var bands = Int(map, "bands", Where, 1, 1024);
            var rows = Int(map, "rows", Where, 1, 1024);
            if (permutations is not null && bands is not null && rows is not null && bands * rows != permutations)
            {
                y.Error(YamlNodes.Get(map, "bands")!, $"bands × rows must equal permutations: {bands} × {rows} = {bands * rows}, not {permutations}");
            }

            var threshold = y.Required(map, "jaccardThreshold", Where) is { } t ? y.Fraction(t, "jaccardThreshold") : null;
            var confirm = y.Required(map, "confirmThreshold", Where) is { } c ? y.Fraction(c, "confirmThreshold") : null;
            if (confirm > threshold)
            {
                y.Error(YamlNodes.Get(map, "confirmThreshold")!, $"confirmThreshold {confirm.Value.ToString(CultureInfo.InvariantCulture)} must not be above jaccardThreshold {threshold.Value.ToString(CultureInfo.InvariantCulture)}");
            }

            var seed = y.Required(map, "seed", Where) is { } s ? y.Integer(s, "seed", 0, long.MaxValue) : null;
            if (fields is null || unit is null || size is null || permutations is null || bands is null || rows is null
                || threshold is null || confirm is null || seed is null || bands * rows != permutations)
            {
                return null;
            }

            return new MinHashSettings(fields, unit.Value, size.Value, permutations.Value, bands.Value, rows.Value, threshold.Value, confirm.Value, (ulong)seed.Value);
        }

        private ShingleUnit? InvalidUnit(YamlNode node, string unit)
        {
            y.Error(node, $"shingle unit '{unit}' must be word or char");
            return null;
        }

        private QualityHeuristics? Quality(YamlNode node)
        {
            const string Where = "curation.quality";
            if (y.Mapping(node, Where) is not { } map)
            {
                return null;
            }

            y.CheckKeys(map, Where, Keys("fields", "minChars", "maxChars", "minWordsForRepetition", "maxDuplicateLineFraction", "maxDuplicateLineCharFraction", "maxTopNgramCharFraction", "placeholders"));
            var fields = y.Required(map, "fields", Where) is { } f ? Fields(f, CuratedFields.Prose, Where) : null;
            var minChars = Int(map, "minChars", Where, 0, int.MaxValue);
            var maxChars = Int(map, "maxChars", Where, 1, int.MaxValue);
            if (minChars > maxChars)
            {
                y.Error(YamlNodes.Get(map, "minChars")!, $"minChars {minChars} is greater than maxChars {maxChars}");
            }

            var minWords = Int(map, "minWordsForRepetition", Where, 0, int.MaxValue);
            var duplicateLines = y.Required(map, "maxDuplicateLineFraction", Where) is { } dl ? y.Fraction(dl, "maxDuplicateLineFraction") : null;
            var duplicateLineChars = y.Required(map, "maxDuplicateLineCharFraction", Where) is { } dc ? y.Fraction(dc, "maxDuplicateLineCharFraction") : null;

            var topNgrams = new Dictionary<int, double>();
            if (y.Required(map, "maxTopNgramCharFraction", Where) is { } ngramNode && y.Mapping(ngramNode, "maxTopNgramCharFraction") is { } ngrams)
            {
                foreach (var (key, value) in ngrams.Children)
                {
                    if (y.Integer(key, "an n-gram size in maxTopNgramCharFraction", 2, 10) is { } n && y.Fraction(value, $"maxTopNgramCharFraction for {n}-grams") is { } fraction)
                    {
                        topNgrams[(int)n] = fraction;
                    }
                }
            }

            var placeholders = new List<PlaceholderPattern>();
            if (YamlNodes.Get(map, "placeholders") is { } placeholdersNode && y.Sequence(placeholdersNode, $"{Where}.placeholders") is { } list)
            {
                foreach (var item in list)
                {
                    if (y.Mapping(item, "a placeholder") is not { } entry)
                    {
                        continue;
                    }

                    y.CheckKeys(entry, "a placeholder", Keys("name", "pattern"));
                    var name = y.RequiredString(entry, "name", "a placeholder");
                    var text = y.RequiredString(entry, "pattern", "a placeholder");
                    if (name is not null && text is not null && Compile(YamlNodes.Get(entry, "pattern")!, text, $"placeholder '{name}'") is { } regex)
                    {
                        placeholders.Add(new PlaceholderPattern(name, regex));
                    }
                }
            }

            if (fields is null || minChars is null || maxChars is null || minWords is null || duplicateLines is null || duplicateLineChars is null)
            {
                return null;
            }

            return new QualityHeuristics(fields, minChars.Value, maxChars.Value, minWords.Value, duplicateLines.Value, duplicateLineChars.Value, topNgrams, placeholders);
        }

        private int? Int(YamlMappingNode map, string key, string where, int min, int max) =>
            y.Required(map, key, where) is not null ? y.OptionalInt(map, key, where, min, max) : null;

        private List<string>? Fields(YamlNode node, FrozenSet<string> allowed, string where)
        {
            var fields = y.StringList(node, $"{where}.fields");
            var ok = true;
            foreach (var (field, index) in fields.Select((f, i) => (f, i)))
            {
                if (!allowed.Contains(field))
                {
                    var itemNode = ((YamlSequenceNode)node).Children[index];
                    y.Error(itemNode, $"'{field}' cannot be used in {where}; expected one of: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}");
                    ok = false;
                }
            }

            if (ok && fields.Count == 0 && node is YamlSequenceNode)
            {
                y.Error(node, $"{where}.fields is empty");
                ok = false;
            }

            return ok ? fields : null;
        }

        /// <summary>
        /// Contract regexes run on untrusted input, so they are compiled for the linear-time
        /// engine: a pattern that needs backtracking is refused at load instead of hanging a batch.
        /// </summary>
        private Regex? Compile(YamlNode node, string pattern, string what)
        {
            try
            {
                return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            }
            catch (ArgumentException e)
            {
                y.Error(node, $"{what} is not a valid regular expression: {e.Message}");
            }
            catch (NotSupportedException e)
            {
                y.Error(node, $"{what} uses a construct the linear-time regex engine cannot run (backreferences, lookarounds, atomic groups): {e.Message}");
            }

            return null;
        }

        private static string Name(LogicalType type) => type switch
        {
            LogicalType.Array => "an array",
            LogicalType.Object => "an object",
            LogicalType.Integer => "an integer",
            _ => "a " + type.ToString().ToLowerInvariant(),
        };
    }
}

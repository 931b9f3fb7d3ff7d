using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Evals.Core.Suites;

/// <summary>
/// Typed reads from a suite's YAML tree that throw <see cref="SuiteFormatException"/> at the
/// offending node's line, so the first problem in a file is reported where it is.
/// </summary>
internal sealed class SuiteYaml(string file)
{
    public SuiteFormatException Error(YamlNode node, string reason) => Error(node.Start, reason);

    public SuiteFormatException Error(Mark mark, string reason) => new(file, Math.Max(1, checked((int)mark.Line)), reason);

    public YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(node, $"{what}: must be a mapping of keys to values");

    public YamlSequenceNode Sequence(YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(node, $"{what}: must be a list");

    /// <summary>Refuses keys outside <paramref name="allowed"/> (YamlDotNet itself refuses a key given twice).</summary>
    public void CheckKeys(YamlMappingNode map, IReadOnlyList<string> allowed, string? where = null)
    {
        foreach (var key in map.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw Error(key, "keys must be plain names");
            }

            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw Error(key, $"unknown key '{name}'{(where is null ? "" : $" in {where}")} (expected one of {string.Join(", ", allowed)})");
            }
        }
    }

    public static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public static YamlNode? KeyNode(YamlMappingNode map, string key) =>
        map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: var name } && name == key);

    public YamlNode Required(YamlMappingNode map, string key, string where) =>
        Get(map, key) ?? throw Error(map, $"{key}: {where} is missing the required key '{key}'");

    /// <summary>A text value; null when the key is absent or its value is null (~, null, nothing).</summary>
    public string? OptionalString(YamlMappingNode map, string key) =>
        Get(map, key) is { } node ? Text(node, key) : null;

    public string RequiredString(YamlMappingNode map, string key, string where) =>
        Text(Required(map, key, where), key) ?? throw Error(Get(map, key)!, $"{key}: must not be empty");

    public string? Text(YamlNode node, string key)
    {
        if (node is not YamlScalarNode { Value: { } value } scalar)
        {
            throw Error(node, $"{key}: must be a single value, not a {(node is YamlSequenceNode ? "list" : "mapping")}");
        }

        if (IsNull(scalar))
        {
            return null;
        }

        // Postgres text and jsonb store neither NUL nor half a surrogate pair.
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\0')
            {
                throw Error(node, $"{key}: contains a NUL character, which the suite tables cannot store");
            }

            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                throw Error(node, $"{key}: contains half a surrogate pair (\\u{((int)value[i]).ToString("x4", CultureInfo.InvariantCulture)}), which is not text");
            }
        }

        return value;
    }

    public double? OptionalNumber(YamlMappingNode map, string key, double min, double max, bool minExclusive = false)
    {
        if (Get(map, key) is not { } node)
        {
            return null;
        }

        if (node is not YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            || !double.IsFinite(number))
        {
            throw Error(node, $"{key}: must be a number, not {Describe(node)}");
        }

        if (number < min || number > max || (minExclusive && number == min))
        {
            var range = minExclusive ? $"({Invariant(min)}, {Invariant(max)}]" : $"[{Invariant(min)}, {Invariant(max)}]";
            throw Error(node, $"{key}: {Invariant(number)} is outside {range}");
        }

        return number;
    }

    public decimal? OptionalDecimal(YamlMappingNode map, string key)
    {
        if (Get(map, key) is not { } node)
        {
            return null;
        }

        return node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Error(node, $"{key}: must be a number, not {Describe(node)}");
    }

    public long? OptionalInteger(YamlMappingNode map, string key, long min, long max)
    {
        if (Get(map, key) is not { } node)
        {
            return null;
        }

        if (node is not YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw Error(node, $"{key}: must be a whole number, not {Describe(node)}");
        }

        return number >= min && number <= max
            ? number
            : throw Error(node, string.Create(CultureInfo.InvariantCulture, $"{key}: {number} is outside [{min}, {max}]"));
    }

    public List<string> StringList(YamlNode node, string key)
    {
        var list = new List<string>();
        foreach (var item in Sequence(node, key))
        {
            list.Add(Text(item, key) ?? throw Error(item, $"{key}: an entry must not be empty"));
        }

        return list;
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode { Value: var v } => $"'{v}'",
        YamlSequenceNode => "a list",
        _ => "a mapping",
    };

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
}

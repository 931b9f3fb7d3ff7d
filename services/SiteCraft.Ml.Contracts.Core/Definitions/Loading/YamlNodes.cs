using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Contracts.Core.Definitions.Loading;

/// <summary>
/// Reads typed values out of a YAML tree and records every problem at the node's line and
/// column, so one pass over a broken contract names all that is wrong with it.
/// </summary>
internal sealed class YamlNodes(string source)
{
    private readonly List<ContractError> _errors = [];

    public IReadOnlyList<ContractError> Errors => _errors;

    public void Error(Mark mark, string message) =>
        _errors.Add(new ContractError(source, checked((int)mark.Line), checked((int)mark.Column), message));

    public void Error(YamlNode node, string message) => Error(node.Start, message);

    public static FrozenSet<string> Keys(params string[] keys) => keys.ToFrozenSet(StringComparer.Ordinal);

    public YamlMappingNode? Mapping(YamlNode node, string what)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Error(node, $"{what} must be a mapping of keys to values");
        return null;
    }

    public YamlSequenceNode? Sequence(YamlNode node, string what)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Error(node, $"{what} must be a list");
        return null;
    }

    /// <summary>Reports keys outside <paramref name="allowed"/> and keys given twice.</summary>
    public void CheckKeys(YamlMappingNode map, string where, IReadOnlySet<string> allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in map.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                Error(key, $"keys in {where} must be plain names");
                continue;
            }

            if (!seen.Add(name))
            {
                Error(key, $"'{name}' is given twice in {where}");
            }
            else if (!allowed.Contains(name))
            {
                Error(key, $"unknown key '{name}' in {where}; expected one of: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}");
            }
        }
    }

    public static YamlNode? Get(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode { Value: var name } && name == key)
            {
                return v;
            }
        }

        return null;
    }

    public YamlNode? Required(YamlMappingNode map, string key, string where)
    {
        var node = Get(map, key);
        if (node is null)
        {
            Error(map, $"{where} is missing the required key '{key}'");
        }

        return node;
    }

    public string? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } value } scalar && !IsNull(scalar))
        {
            return value;
        }

        Error(node, $"{what} must be a single value");
        return null;
    }

    public string? RequiredString(YamlMappingNode map, string key, string where) =>
        Required(map, key, where) is { } node ? Scalar(node, $"'{key}' in {where}") : null;

    public string? OptionalString(YamlMappingNode map, string key, string where) =>
        Get(map, key) is { } node ? Scalar(node, $"'{key}' in {where}") : null;

    public bool? Bool(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } scalar)
        {
            return scalar.Value == "true";
        }

        Error(node, $"{what} must be true or false");
        return null;
    }

    public bool? OptionalBool(YamlMappingNode map, string key, string where) =>
        Get(map, key) is { } node ? Bool(node, $"'{key}' in {where}") : null;

    public double? Number(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } value }
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number))
        {
            return number;
        }

        Error(node, $"{what} must be a number");
        return null;
    }

    public long? Integer(YamlNode node, string what, long min, long max)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } value }
            && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            if (number >= min && number <= max)
            {
                return number;
            }

            Error(node, $"{what} must be between {min} and {max}, not {number}");
            return null;
        }

        Error(node, $"{what} must be a whole number");
        return null;
    }

    public int? OptionalInt(YamlMappingNode map, string key, string where, int min = 0, int max = int.MaxValue) =>
        Get(map, key) is { } node && Integer(node, $"'{key}' in {where}", min, max) is { } value ? (int)value : null;

    public int? RequiredInt(YamlMappingNode map, string key, string where, int min, int max) =>
        Required(map, key, where) is not null ? OptionalInt(map, key, where, min, max) : null;

    /// <summary>A fraction in (0, 1].</summary>
    public double? Fraction(YamlNode node, string what)
    {
        var value = Number(node, what);
        if (value is > 0 and <= 1)
        {
            return value;
        }

        if (value is not null)
        {
            Error(node, $"{what} must be above 0 and at most 1, not {value.Value.ToString(CultureInfo.InvariantCulture)}");
        }

        return null;
    }

    public List<string> StringList(YamlNode node, string what)
    {
        var list = new List<string>();
        if (Sequence(node, what) is { } sequence)
        {
            foreach (var item in sequence)
            {
                if (Scalar(item, $"an entry of {what}") is { } value)
                {
                    list.Add(value);
                }
            }
        }

        return list;
    }

    /// <summary>
    /// A non-empty list of field names, each one of <paramref name="allowed"/>; null (with the
    /// errors recorded) when any is not.
    /// </summary>
    public List<string>? FieldNames(YamlNode node, FrozenSet<string> allowed, string where)
    {
        var fields = StringList(node, $"{where}.fields");
        var ok = true;
        foreach (var (field, index) in fields.Select((f, i) => (f, i)))
        {
            if (!allowed.Contains(field))
            {
                var itemNode = ((YamlSequenceNode)node).Children[index];
                Error(itemNode, $"'{field}' cannot be used in {where}; expected one of: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}");
                ok = false;
            }
        }

        if (ok && fields.Count == 0 && node is YamlSequenceNode)
        {
            Error(node, $"{where}.fields is empty");
            ok = false;
        }

        return ok ? fields : null;
    }

    /// <summary>The value node of an ODCS custom property (<c>- property: NAME, value: …</c>) of <paramref name="map"/>, or null.</summary>
    public YamlNode? CustomProperty(YamlMappingNode map, string name)
    {
        if (Get(map, "customProperties") is not { } node || Sequence(node, "customProperties") is not { } list)
        {
            return null;
        }

        foreach (var item in list)
        {
            if (item is YamlMappingNode entry && Get(entry, "property") is YamlScalarNode { Value: var property } && property == name)
            {
                return Required(entry, "value", $"customProperty {name}");
            }
        }

        return null;
    }

    /// <summary>
    /// Contract regexes run on untrusted input, so they are compiled for the linear-time
    /// engine: a pattern that needs backtracking is refused at load instead of hanging a batch.
    /// </summary>
    public Regex? Pattern(YamlNode node, string pattern, string what)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException e)
        {
            Error(node, $"{what} is not a valid regular expression: {e.Message}");
        }
        catch (NotSupportedException e)
        {
            Error(node, $"{what} uses a construct the linear-time regex engine cannot run (backreferences, lookarounds, atomic groups): {e.Message}");
        }

        return null;
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
}

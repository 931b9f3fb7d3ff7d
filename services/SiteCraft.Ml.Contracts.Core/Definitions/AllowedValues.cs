using System.Collections.Frozen;
using System.Globalization;

namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>The values an <c>invalidValues</c> rule allows, ready for a lookup per record.</summary>
public sealed class AllowedValues
{
    private readonly FrozenSet<string> _strings;
    private readonly bool _allowTrue;
    private readonly bool _allowFalse;
    private readonly double[] _numbers;

    public AllowedValues(IEnumerable<string> strings, IEnumerable<bool> booleans, IEnumerable<double> numbers)
    {
        _strings = strings.ToFrozenSet(StringComparer.Ordinal);
        var bools = booleans.ToArray();
        _allowTrue = bools.Contains(true);
        _allowFalse = bools.Contains(false);
        _numbers = numbers.ToArray();
        Display = string.Join(", ", _strings.Order(StringComparer.Ordinal)
            .Concat(bools.Distinct().Select(b => b ? "true" : "false"))
            .Concat(_numbers.Select(n => n.ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>The allowed values as the contract lists them, for messages.</summary>
    public string Display { get; }

    /// <summary>The allowed strings, so a check on a whole table can send them as a query parameter.</summary>
    public IReadOnlyCollection<string> Strings => _strings;

    /// <summary>The allowed booleans (true, false, both or neither).</summary>
    public IReadOnlyList<bool> Booleans => (_allowTrue, _allowFalse) switch
    {
        (true, true) => [true, false],
        (true, false) => [true],
        (false, true) => [false],
        _ => [],
    };

    /// <summary>The allowed numbers.</summary>
    public IReadOnlyList<double> Numbers => _numbers;

    public bool Contains(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => _allowTrue,
        JsonValueKind.False => _allowFalse,
        JsonValueKind.Number => value.TryGetDouble(out var d) && Array.IndexOf(_numbers, d) >= 0,
        JsonValueKind.String => _strings.Count > 0 && _strings.Contains(value.GetString()!),
        _ => false,
    };

    public bool Contains(string value) => _strings.Contains(value);
}

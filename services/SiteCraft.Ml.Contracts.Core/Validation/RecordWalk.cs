using System.Runtime.InteropServices;
using System.Text;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Core.Text;

namespace SiteCraft.Ml.Contracts.Core.Validation;

/// <summary>
/// The state of one record's check: the path so far and the violations, both allocated only when
/// needed. This part walks the record's structure (objects, arrays, required and unknown fields);
/// the checks on single values are in RecordWalk.Scalars.cs.
/// </summary>
internal partial struct RecordWalk
{
    private List<Violation>? _violations;
    private int _dropped;
    private FieldPath _path;

    public RecordWalk()
    {
        _path = new FieldPath();
    }

    public readonly ValidationResult Result()
    {
        if (_violations is null)
        {
            return ValidationResult.Valid;
        }

        if (_dropped > 0)
        {
            _violations.Add(new Violation("$", ViolationRules.Truncated, $"{_dropped} more violations were found and not listed", null));
        }

        return new ValidationResult(_violations);
    }

    public void Add(string path, string rule, string message, string? excerpt)
    {
        _violations ??= [];
        if (_violations.Count >= ContractValidator.MaxViolationsPerRecord)
        {
            _dropped++;
            return;
        }

        _violations.Add(new Violation(path, rule, message, excerpt));
    }

    public void Value(JsonElement value, SchemaNode node)
    {
        var schema = node.Schema;
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (schema.NotNull && !schema.Required)
            {
                Fail(ViolationRules.NullValues, $"{Name(schema)} must not be null", null);
            }

            if (schema.Required || _path.IsRoot)
            {
                Fail(ViolationRules.Required, _path.IsRoot ? "the record is null; expected an object" : $"{Name(schema)} is required and is null", null);
            }

            return;
        }

        switch (schema.LogicalType)
        {
            case LogicalType.String:
                String(value, schema);
                break;
            case LogicalType.Integer or LogicalType.Number:
                Number(value, schema);
                break;
            case LogicalType.Boolean:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    TypeMismatch(value, "a boolean");
                }
                else if (schema.ValidValues is { } allowed && !allowed.Contains(value))
                {
                    Fail(ViolationRules.ValidValues, $"{Name(schema)} must be {allowed.Display}", Excerpt.Of(value));
                }

                break;
            case LogicalType.Date or LogicalType.Timestamp:
                Temporal(value, schema);
                break;
            case LogicalType.Array:
                Array(value, node);
                break;
            case LogicalType.Object:
                Object(value, node);
                break;
        }
    }

    private void Array(JsonElement value, SchemaNode node)
    {
        var schema = node.Schema;
        if (value.ValueKind != JsonValueKind.Array)
        {
            TypeMismatch(value, "an array");
            return;
        }

        var count = value.GetArrayLength();
        if (schema.MinItems is { } min && count < min)
        {
            Fail(ViolationRules.MinItems, $"{Name(schema)} has {count} items, fewer than the {min} required", null);
        }

        if (schema.MaxItems is { } max && count > max)
        {
            Fail(ViolationRules.MaxItems, $"{Name(schema)} has {count} items, more than the {max} allowed", null);
        }

        if (node.Items is not { } items)
        {
            return;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            _path.PushIndex(index++);
            Value(item, items);
            _path.Pop();
        }
    }

    private void Object(JsonElement value, SchemaNode node)
    {
        var schema = node.Schema;
        if (value.ValueKind != JsonValueKind.Object)
        {
            TypeMismatch(value, _path.IsRoot ? "a JSON object as the record" : "an object");
            return;
        }

        var children = node.Children;
        Span<bool> seen = children.Length <= 64 ? stackalloc bool[children.Length] : new bool[children.Length];
        foreach (var property in value.EnumerateObject())
        {
            var index = Find(property, children);
            if (index < 0)
            {
                if (schema.UnknownFields == UnknownFieldPolicy.Reject)
                {
                    var name = SafeName(property);
                    _path.PushSent(name);
                    Fail(ViolationRules.UnknownField, $"'{name}' is not a field of {Name(schema)}", Excerpt.Of(property.Value));
                    _path.Pop();
                }

                continue;
            }

            var child = children[index];
            _path.PushField(child.Schema.Name);
            if (seen[index])
            {
                Fail(ViolationRules.DuplicateKey, $"'{child.Schema.Name}' is given more than once", Excerpt.Of(property.Value));
            }
            else
            {
                seen[index] = true;
                Value(property.Value, child);
            }

            _path.Pop();
        }

        for (var i = 0; i < children.Length; i++)
        {
            if (!seen[i] && children[i].Schema.Required)
            {
                _path.PushField(children[i].Schema.Name);
                Fail(ViolationRules.Required, $"{children[i].Schema.Name} is required and missing", null);
                _path.Pop();
            }
        }
    }

    private static int Find(JsonProperty property, SchemaNode[] children)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            // An escaped name ("\u0069d" is "id"): compare decoded, unless it is not text at all.
            if (JsonStrings.HasLoneSurrogate(raw))
            {
                return -1;
            }

            for (var i = 0; i < children.Length; i++)
            {
                if (property.NameEquals(children[i].Utf8Name))
                {
                    return i;
                }
            }

            return -1;
        }

        for (var i = 0; i < children.Length; i++)
        {
            if (raw.SequenceEqual(children[i].Utf8Name))
            {
                return i;
            }
        }

        return -1;
    }

    private static string SafeName(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        return JsonStrings.HasLoneSurrogate(raw) ? Excerpt.Of(Encoding.UTF8.GetString(raw)) : Excerpt.Of(property.Name);
    }

    private void TypeMismatch(JsonElement value, string expected) =>
        Fail(ViolationRules.Type, $"expected {expected}, got {Describe(value.ValueKind)}", Excerpt.Of(value));

    private void Fail(string rule, string message, string? excerpt) => Add(_path.Text(), rule, message, excerpt);

    private readonly string Name(PropertySchema schema) => _path.IsRoot ? "the record" : _path.Text();

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

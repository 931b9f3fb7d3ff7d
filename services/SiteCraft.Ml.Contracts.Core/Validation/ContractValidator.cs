using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using SiteCraft.Ml.Contracts.Core.Contracts;
using SiteCraft.Ml.Contracts.Core.Text;

namespace SiteCraft.Ml.Contracts.Core.Validation;

/// <summary>
/// Checks records against a data contract and reports every violation, not only the first
/// (lazy validation, as Pandera does). Pure and thread-safe: it keeps no state between records.
/// Bytes that are not UTF-8, lone surrogates, JSON nested past the contract's depth and 10 MB
/// fields are reported as violations; none of them throws.
/// </summary>
public sealed class ContractValidator
{
    /// <summary>A hostile record could break every rule in every array item; past this many the rest are counted, not listed.</summary>
    public const int MaxViolationsPerRecord = 200;

    private readonly Node _root;
    private readonly JsonDocumentOptions _documentOptions;

    public ContractValidator(DataContract contract)
    {
        Contract = contract;
        _root = new Node(contract.Schema);
        _documentOptions = new JsonDocumentOptions { MaxDepth = contract.MaxDepth };
    }

    public DataContract Contract { get; }

    /// <summary>Validates one record given as UTF-8 JSON, for example one line of a JSONL file.</summary>
    public ValidationResult Validate(ReadOnlyMemory<byte> utf8Json)
    {
        var result = Validate(utf8Json, out var document);
        document?.Dispose();
        return result;
    }

    /// <summary>Validates a parsed record.</summary>
    public ValidationResult Validate(JsonElement record)
    {
        var walk = new Walk();
        walk.Value(record, _root);
        return walk.Result();
    }

    /// <summary>
    /// Validates and hands back the parsed document (the caller disposes it) so curation reads
    /// the record without parsing it twice. The document is null when the bytes are not JSON.
    /// </summary>
    internal ValidationResult Validate(ReadOnlyMemory<byte> utf8Json, out JsonDocument? document)
    {
        var walk = new Walk();
        document = null;

        // A byte order mark is how some tools start a UTF-8 file; it is not part of the record.
        var bytes = utf8Json.Span.StartsWith("\uFEFF"u8) ? utf8Json[3..] : utf8Json;
        if (Utf8Text.FirstInvalidByte(bytes.Span) is var invalid and >= 0)
        {
            var span = bytes.Span;
            var around = Convert.ToHexStringLower(span.Slice(invalid, Math.Min(8, span.Length - invalid)));
            walk.Add("$", ViolationRules.Utf8, $"the record is not valid UTF-8: byte 0x{span[invalid]:x2} at offset {invalid} starts no valid sequence", around);

            // Go on with the bad bytes replaced by U+FFFD, so the other violations are reported too.
            bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(span));
        }

        try
        {
            document = JsonDocument.Parse(bytes, _documentOptions);
        }
        catch (JsonException e)
        {
            ReportUnparsable(bytes.Span, e, ref walk);
            return walk.Result();
        }

        walk.Value(document.RootElement, _root);
        return walk.Result();
    }

    private void ReportUnparsable(ReadOnlySpan<byte> bytes, JsonException e, ref Walk walk)
    {
        // The parser's exception does not say whether depth or syntax failed it; a second,
        // depth-unlimited read does. Only broken records pay for it.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = int.MaxValue });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth >= Contract.MaxDepth)
                {
                    walk.Add("$", ViolationRules.Depth, $"the record nests deeper than the {Contract.MaxDepth} levels the contract allows (at byte {reader.TokenStartIndex})", null);
                    return;
                }
            }
        }
        catch (JsonException)
        {
        }

        var excerpt = Excerpt.Of(Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 400)]), bytes.Length > 400);
        walk.Add("$", ViolationRules.Syntax, $"the record is not valid JSON: line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}", excerpt);
    }

    /// <summary>A contract property prepared for the hot path: its name as UTF-8 and its children as nodes.</summary>
    private sealed class Node
    {
        public Node(PropertySchema schema)
        {
            Schema = schema;
            Utf8Name = Encoding.UTF8.GetBytes(schema.Name);
            Children = schema.Properties.Select(p => new Node(p)).ToArray();
            Items = schema.Items is null ? null : new Node(schema.Items);
        }

        public PropertySchema Schema { get; }

        public byte[] Utf8Name { get; }

        public Node[] Children { get; }

        public Node? Items { get; }
    }

    /// <summary>The state of one record's check: the path so far and the violations, both allocated only when needed.</summary>
    private struct Walk
    {
        private List<Violation>? _violations;
        private int _dropped;
        private Segment[] _path;
        private int _depth;

        public Walk()
        {
            _path = new Segment[8];
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
            if (_violations.Count >= MaxViolationsPerRecord)
            {
                _dropped++;
                return;
            }

            _violations.Add(new Violation(path, rule, message, excerpt));
        }

        public void Value(JsonElement value, Node node)
        {
            var schema = node.Schema;
            if (value.ValueKind == JsonValueKind.Null)
            {
                if (schema.NotNull && !schema.Required)
                {
                    Fail(ViolationRules.NullValues, $"{Name(schema)} must not be null", null);
                }

                if (schema.Required || _depth == 0)
                {
                    Fail(ViolationRules.Required, _depth == 0 ? "the record is null; expected an object" : $"{Name(schema)} is required and is null", null);
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

        private void String(JsonElement value, PropertySchema schema)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                TypeMismatch(value, "a string");
                return;
            }

            var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
            if (JsonStrings.HasLoneSurrogate(raw))
            {
                Fail(ViolationRules.Surrogate, $"{Name(schema)} holds a lone UTF-16 surrogate escape, which is not text", Excerpt.Of(value));
                return;
            }

            // An escaped surrogate pair is 12 bytes for one character, so a raw value this long
            // is too long whatever it holds, and is judged without decoding all of it.
            if (schema.MaxLength is { } max && raw.Length / 12 > max)
            {
                Fail(ViolationRules.MaxLength, $"{Name(schema)} is {raw.Length:N0} bytes, longer than the {max:N0} characters allowed", Excerpt.Of(value));
                return;
            }

            var text = value.GetString()!;
            if (schema.MinLength is { } min && text.Length < min * 2 && CodePoints(text) < min)
            {
                Fail(ViolationRules.MinLength, $"{Name(schema)} has {CodePoints(text)} characters, fewer than the {min} required", Excerpt.Of(text));
            }

            if (schema.MaxLength is { } maxLength && text.Length > maxLength && CodePoints(text) > maxLength)
            {
                Fail(ViolationRules.MaxLength, $"{Name(schema)} has {CodePoints(text):N0} characters, more than the {maxLength:N0} allowed", Excerpt.Of(text));
            }

            if (schema.Format == "uuid" && !Guid.TryParseExact(text, "D", out _))
            {
                Fail(ViolationRules.Format, $"{Name(schema)} is not a UUID (8-4-4-4-12 hexadecimal digits)", Excerpt.Of(text));
            }

            if (schema.Pattern is { } pattern && !pattern.IsMatch(text))
            {
                Fail(ViolationRules.Pattern, $"{Name(schema)} does not match the pattern {schema.PatternText}", Excerpt.Of(text));
            }

            if (schema.ValidValues is { } allowed && !allowed.Contains(text))
            {
                Fail(ViolationRules.ValidValues, $"{Name(schema)} must be one of: {allowed.Display}", Excerpt.Of(text));
            }

            if (schema.MissingValues.Count > 0 && schema.MissingValues.Contains(text))
            {
                Fail(ViolationRules.MissingValues, $"{Name(schema)} holds a value that counts as missing", Excerpt.Of(text));
            }
        }

        private void Number(JsonElement value, PropertySchema schema)
        {
            var integer = schema.LogicalType == LogicalType.Integer;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                TypeMismatch(value, integer ? "an integer" : "a number");
                return;
            }

            if (integer && Math.Floor(number) != number)
            {
                TypeMismatch(value, "an integer");
                return;
            }

            if (schema.Minimum is { } min && number < min)
            {
                Fail(ViolationRules.Minimum, $"{Name(schema)} is below the minimum {min.ToString(CultureInfo.InvariantCulture)}", Excerpt.Of(value));
            }

            if (schema.Maximum is { } max && number > max)
            {
                Fail(ViolationRules.Maximum, $"{Name(schema)} is above the maximum {max.ToString(CultureInfo.InvariantCulture)}", Excerpt.Of(value));
            }

            if (schema.ValidValues is { } allowed && !allowed.Contains(value))
            {
                Fail(ViolationRules.ValidValues, $"{Name(schema)} must be one of: {allowed.Display}", Excerpt.Of(value));
            }
        }

        private void Temporal(JsonElement value, PropertySchema schema)
        {
            var timestamp = schema.LogicalType == LogicalType.Timestamp;
            if (value.ValueKind != JsonValueKind.String)
            {
                TypeMismatch(value, timestamp ? "a timestamp string" : "a date string");
                return;
            }

            var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
            var ok = timestamp ? IsTimestamp(value, raw) : raw.Length == 10 && DateOnly.TryParseExact(Encoding.UTF8.GetString(raw), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
            if (!ok)
            {
                Fail(ViolationRules.Format, timestamp
                    ? $"{Name(schema)} is not an ISO 8601 timestamp with a time zone offset (e.g. 2025-05-01T12:00:00Z)"
                    : $"{Name(schema)} is not an ISO 8601 date (yyyy-MM-dd)", Excerpt.Of(value));
            }
        }

        private static bool IsTimestamp(JsonElement value, ReadOnlySpan<byte> raw)
        {
            // A timestamp without an offset means a different instant on every server.
            if (raw.Length < 20 || raw.IndexOf((byte)'T') != 10 || raw.IndexOf((byte)'\\') >= 0)
            {
                return false;
            }

            var last = raw[^1];
            var hasOffset = last is (byte)'Z' or (byte)'z' || (raw.Length >= 25 && raw[^3] == (byte)':' && raw[^6] is (byte)'+' or (byte)'-');
            return hasOffset && value.TryGetDateTimeOffset(out _);
        }

        private void Array(JsonElement value, Node node)
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
                Push(new Segment(null, null, index++));
                Value(item, items);
                Pop();
            }
        }

        private void Object(JsonElement value, Node node)
        {
            var schema = node.Schema;
            if (value.ValueKind != JsonValueKind.Object)
            {
                TypeMismatch(value, _depth == 0 ? "a JSON object as the record" : "an object");
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
                        Push(new Segment(name, null, -1));
                        Fail(ViolationRules.UnknownField, $"'{name}' is not a field of {Name(schema)}", Excerpt.Of(property.Value));
                        Pop();
                    }

                    continue;
                }

                var child = children[index];
                Push(new Segment(null, child.Schema.Name, -1));
                if (seen[index])
                {
                    Fail(ViolationRules.DuplicateKey, $"'{child.Schema.Name}' is given more than once", Excerpt.Of(property.Value));
                }
                else
                {
                    seen[index] = true;
                    Value(property.Value, child);
                }

                Pop();
            }

            for (var i = 0; i < children.Length; i++)
            {
                if (!seen[i] && children[i].Schema.Required)
                {
                    Push(new Segment(null, children[i].Schema.Name, -1));
                    Fail(ViolationRules.Required, $"{children[i].Schema.Name} is required and missing", null);
                    Pop();
                }
            }
        }

        private static int Find(JsonProperty property, Node[] children)
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

        private void Fail(string rule, string message, string? excerpt) => Add(PathText(), rule, message, excerpt);

        private readonly string Name(PropertySchema schema) => _depth == 0 ? "the record" : PathText();

        private void Push(Segment segment)
        {
            if (_depth == _path.Length)
            {
                System.Array.Resize(ref _path, _path.Length * 2);
            }

            _path[_depth++] = segment;
        }

        private void Pop() => _depth--;

        private readonly string PathText()
        {
            if (_depth == 0)
            {
                return "$";
            }

            var builder = new StringBuilder();
            for (var i = 0; i < _depth; i++)
            {
                var segment = _path[i];
                if (segment.Index >= 0)
                {
                    builder.Append('[').Append(segment.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                }
                else
                {
                    if (builder.Length > 0)
                    {
                        builder.Append('.');
                    }

                    builder.Append(segment.Name ?? segment.SchemaName);
                }
            }

            return builder.ToString();
        }

        private static int CodePoints(string text)
        {
            var count = text.Length;
            foreach (var c in text)
            {
                if (char.IsLowSurrogate(c))
                {
                    count--;
                }
            }

            return count;
        }

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

    /// <summary>One step of a field path: a field name (sent or from the contract) or an array index.</summary>
    private readonly record struct Segment(string? Name, string? SchemaName, int Index);
}

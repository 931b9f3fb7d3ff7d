using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Core.Text;

namespace SiteCraft.Ml.Contracts.Core.Validation;

/// <summary>The checks on single values: strings (length, format, pattern, valid values), numbers and timestamps.</summary>
internal partial struct RecordWalk
{
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
}

using System.Text;
using System.Text.Json;

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>
/// The arms, fallback and settings jsonb columns of ai_routing_policies (db/migrations/0003) to and from the model.
/// Parsing checks shape only (types, required keys) and names the offending field; values are judged by PolicyValidator.
/// </summary>
public static class PolicyJson
{
    private const string Stable = "stable";
    private const string Canary = "canary";

    public static IReadOnlyList<PolicyArm> ParseArms(string json)
    {
        using var document = Parse(json, "arms");
        var root = RequireArray(document.RootElement, "arms");
        var arms = new List<PolicyArm>(root.GetArrayLength());
        foreach (var element in root.EnumerateArray())
        {
            var field = $"arms[{arms.Count}]";
            RequireObject(element, field);
            arms.Add(new PolicyArm(
                RequiredString(element, "provider", field),
                RequiredString(element, "model", field),
                RequiredNumber(element, "weight", field),
                ParseRole(element, field)));
        }

        return arms;
    }

    public static IReadOnlyList<RouteTarget> ParseFallback(string json)
    {
        using var document = Parse(json, "fallback");
        var root = RequireArray(document.RootElement, "fallback");
        var fallback = new List<RouteTarget>(root.GetArrayLength());
        foreach (var element in root.EnumerateArray())
        {
            var field = $"fallback[{fallback.Count}]";
            RequireObject(element, field);
            fallback.Add(new RouteTarget(RequiredString(element, "provider", field), RequiredString(element, "model", field)));
        }

        return fallback;
    }

    /// <summary>Missing (or null) keys take the values of <see cref="PolicySettings.Default"/>.</summary>
    public static PolicySettings ParseSettings(string json)
    {
        using var document = Parse(json, "settings");
        var root = document.RootElement;
        RequireObject(root, "settings");

        var defaults = PolicySettings.Default;
        var guardrails = defaults.Guardrails;
        if (OptionalObject(root, "guardrails", "settings") is { } g)
        {
            const string Field = "settings.guardrails";
            guardrails = new GuardrailSettings(
                OptionalInt(g, "min_samples", Field) ?? guardrails.MinSamples,
                OptionalNumber(g, "max_error_rate_delta", Field) ?? guardrails.MaxErrorRateDelta,
                OptionalNumber(g, "max_p95_latency_ratio", Field) ?? guardrails.MaxP95LatencyRatio,
                OptionalDuration(g, "window_seconds", Field, TimeSpan.TicksPerSecond) ?? guardrails.Window);
        }

        var breaker = defaults.Breaker;
        if (OptionalObject(root, "breaker", "settings") is { } b)
        {
            const string Field = "settings.breaker";
            breaker = new BreakerSettings(
                OptionalInt(b, "failure_threshold", Field) ?? breaker.FailureThreshold,
                OptionalDuration(b, "break_duration_ms", Field, TimeSpan.TicksPerMillisecond) ?? breaker.BreakDuration);
        }

        return new PolicySettings(
            OptionalDuration(root, "attempt_timeout_ms", "settings", TimeSpan.TicksPerMillisecond) ?? defaults.AttemptTimeout,
            guardrails,
            breaker);
    }

    public static string ArmsToJson(IReadOnlyList<PolicyArm> arms)
    {
        ArgumentNullException.ThrowIfNull(arms);
        return Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var arm in arms)
            {
                writer.WriteStartObject();
                writer.WriteString("provider", arm.Provider);
                writer.WriteString("model", arm.Model);
                writer.WriteNumber("weight", arm.Weight);
                writer.WriteString("role", arm.Role == ArmRole.Canary ? Canary : Stable);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    public static string FallbackToJson(IReadOnlyList<RouteTarget> fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var target in fallback)
            {
                writer.WriteStartObject();
                writer.WriteString("provider", target.Provider);
                writer.WriteString("model", target.Model);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>Writes every key, defaults included, so a stored version says exactly what it ran with.</summary>
    public static string SettingsToJson(PolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("attempt_timeout_ms", settings.AttemptTimeout.TotalMilliseconds);
            writer.WriteStartObject("guardrails");
            writer.WriteNumber("min_samples", settings.Guardrails.MinSamples);
            writer.WriteNumber("max_error_rate_delta", settings.Guardrails.MaxErrorRateDelta);
            writer.WriteNumber("max_p95_latency_ratio", settings.Guardrails.MaxP95LatencyRatio);
            writer.WriteNumber("window_seconds", settings.Guardrails.Window.TotalSeconds);
            writer.WriteEndObject();
            writer.WriteStartObject("breaker");
            writer.WriteNumber("failure_threshold", settings.Breaker.FailureThreshold);
            writer.WriteNumber("break_duration_ms", settings.Breaker.BreakDuration.TotalMilliseconds);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    private static JsonDocument Parse(string json, string field)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{field} is not valid JSON: {e.Message}", e);
        }
    }

    private static JsonElement RequireArray(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Array ? element : throw WrongKind(field, "an array", element);

    private static void RequireObject(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw WrongKind(field, "an object", element);
        }
    }

    private static string RequiredString(JsonElement parent, string name, string parentField)
    {
        var field = $"{parentField}.{name}";
        if (!parent.TryGetProperty(name, out var value))
        {
            throw new FormatException($"{field} is missing.");
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongKind(field, "a string", value);
    }

    private static double RequiredNumber(JsonElement parent, string name, string parentField)
    {
        var field = $"{parentField}.{name}";
        if (!parent.TryGetProperty(name, out var value))
        {
            throw new FormatException($"{field} is missing.");
        }

        return Number(value, field);
    }

    private static ArmRole ParseRole(JsonElement arm, string parentField)
    {
        var field = $"{parentField}.role";
        return RequiredString(arm, "role", parentField) switch
        {
            Stable => ArmRole.Stable,
            Canary => ArmRole.Canary,
            var other => throw new FormatException($"{field} must be \"{Stable}\" or \"{Canary}\", not \"{other}\"."),
        };
    }

    private static JsonElement? OptionalObject(JsonElement parent, string name, string parentField)
    {
        if (!TryGetPresent(parent, name, out var value))
        {
            return null;
        }

        RequireObject(value, $"{parentField}.{name}");
        return value;
    }

    private static double? OptionalNumber(JsonElement parent, string name, string parentField) =>
        TryGetPresent(parent, name, out var value) ? Number(value, $"{parentField}.{name}") : null;

    private static int? OptionalInt(JsonElement parent, string name, string parentField)
    {
        if (!TryGetPresent(parent, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result)
            ? result
            : throw WrongKind($"{parentField}.{name}", "a whole number", value);
    }

    private static TimeSpan? OptionalDuration(JsonElement parent, string name, string parentField, long ticksPerUnit)
    {
        var amount = OptionalNumber(parent, name, parentField);
        if (amount is not { } units)
        {
            return null;
        }

        var ticks = units * ticksPerUnit;
        return Math.Abs(ticks) < TimeSpan.MaxValue.Ticks
            ? TimeSpan.FromTicks((long)Math.Round(ticks))
            : throw new FormatException($"{parentField}.{name} is out of range: {units}.");
    }

    private static double Number(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw WrongKind(field, "a number", value);

    private static bool TryGetPresent(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static FormatException WrongKind(string field, string expected, JsonElement actual) =>
        new($"{field} must be {expected}, not {Describe(actual)}.");

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

using System.Text.Json.Serialization;

namespace SiteCraft.Ml.Inference.Telemetry;

/// <summary>The spool's JSON lines, generated at build time so writing a batch needs no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenerationEvent))]
[JsonSerializable(typeof(RejectedGenerationEvent))]
internal sealed partial class TelemetryJsonContext : JsonSerializerContext;

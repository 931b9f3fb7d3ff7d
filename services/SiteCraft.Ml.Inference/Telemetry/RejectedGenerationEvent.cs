namespace SiteCraft.Ml.Inference.Telemetry;

/// <summary>A line of the rejected file: an event the table refused for its content, with the server's reason.</summary>
public sealed record RejectedGenerationEvent(DateTimeOffset RejectedAt, string Reason, GenerationEvent Event);

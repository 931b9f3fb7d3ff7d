namespace SiteCraft.Ml.Inference.Telemetry;

/// <summary>Where the request path hands a finished generation attempt for storage.</summary>
public interface IGenerationEventSink
{
    /// <summary>
    /// Queues the event for a background write. Never blocks and never throws: false means the queue
    /// was full (or the service is stopping) and the event was dropped and counted.
    /// </summary>
    bool TryRecord(GenerationEvent e);
}

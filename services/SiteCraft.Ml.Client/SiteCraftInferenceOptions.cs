namespace SiteCraft.Ml.Client;

/// <summary>Where the inference service is and how hard to retry it.</summary>
public sealed class SiteCraftInferenceOptions
{
    /// <summary>
    /// The service's gRPC address. The default resolves the "grpc" endpoint of the "inference"
    /// resource through Aspire service discovery.
    /// </summary>
    public Uri Address { get; set; } = new("http://_grpc.inference");

    /// <summary>Attempts per call on UNAVAILABLE (the first included); 1 turns retries off.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First retry delay; doubles per retry with jitter, up to 2 s.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Sent as "authorization: Bearer ..." on every call; only evals and admins need it (pinned routes).</summary>
    public string? AdminToken { get; set; }
}

using System.ComponentModel.DataAnnotations;

namespace SiteCraft.Ml.Inference.Providers.Local;

/// <summary>The local model provider (configuration section "LocalModel").</summary>
public sealed class LocalModelOptions
{
    public const string Section = "LocalModel";

    /// <summary>Where relative ai_model_artifacts.path values live; default: the models folder shipped beside the service.</summary>
    public string? ArtifactRoot { get; set; }

    /// <summary>The artifact shipped with the service, registered (and activated) when the provider has no active artifact.</summary>
    [Required]
    public string BundledArtifact { get; set; } = "sitecraft-base/1";

    /// <summary>How often the active artifact is looked up, to follow a promotion.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Sequences generated at once; default: one per core.</summary>
    [Range(1, 256)]
    public int MaxConcurrentSequences { get; set; } = Environment.ProcessorCount;

    /// <summary>Requests that may wait for a slot; beyond that a request is refused at once (RESOURCE_EXHAUSTED).</summary>
    [Range(0, 10_000)]
    public int MaxQueued { get; set; } = 64;

    /// <summary>Threads per sequence for the matrix-vector products.</summary>
    [Range(1, 64)]
    public int ThreadsPerSequence { get; set; } = 1;

    public string ResolveRoot() => ArtifactRoot is { Length: > 0 } root ? root : Path.Combine(AppContext.BaseDirectory, "models");
}

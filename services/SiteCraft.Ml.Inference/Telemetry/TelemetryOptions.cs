using System.ComponentModel.DataAnnotations;

namespace SiteCraft.Ml.Inference.Telemetry;

/// <summary>How generation events are queued, batched and spooled (configuration section "Telemetry").</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>Events held in memory before <see cref="IGenerationEventSink.TryRecord"/> starts dropping.</summary>
    [Range(1, 10_000_000)]
    public int ChannelCapacity { get; init; } = 100_000;

    /// <summary>Most rows in one COPY.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; init; } = 2000;

    /// <summary>How long a batch may wait for more rows after its first one.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Where batches go while the database cannot take them, and rejected rows are kept.</summary>
    [Required(AllowEmptyStrings = false)]
    public string SpoolDirectory { get; init; } = DefaultSpoolDirectory;

    /// <summary>First wait before replaying the spool; it doubles after each failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest wait between replay attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    public static string DefaultSpoolDirectory { get; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData),
        "sitecraft-ml",
        "inference-spool");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryMaxDelay < RetryInitialDelay)
        {
            yield return new ValidationResult(
                $"{nameof(RetryMaxDelay)} ({RetryMaxDelay}) must not be shorter than {nameof(RetryInitialDelay)} ({RetryInitialDelay}).",
                [nameof(RetryMaxDelay)]);
        }
    }
}

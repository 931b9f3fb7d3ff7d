namespace SiteCraft.Ml.Inference.Routing;

/// <summary>When a canary is judged (MinSamples in the last Window) and what counts as worse than stable.</summary>
public sealed record GuardrailSettings(int MinSamples, double MaxErrorRateDelta, double MaxP95LatencyRatio, TimeSpan Window)
{
    public static GuardrailSettings Default { get; } = new(200, 0.02, 1.5, TimeSpan.FromMinutes(15));
}

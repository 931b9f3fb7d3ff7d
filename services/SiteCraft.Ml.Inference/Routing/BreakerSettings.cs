namespace SiteCraft.Ml.Inference.Routing;

public sealed record BreakerSettings(int FailureThreshold, TimeSpan BreakDuration)
{
    public static BreakerSettings Default { get; } = new(5, TimeSpan.FromSeconds(10));
}

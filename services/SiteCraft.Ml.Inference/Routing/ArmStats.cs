namespace SiteCraft.Ml.Inference.Routing;

/// <summary>Live numbers for one arm over the guardrail window.</summary>
public sealed record ArmStats(int Samples, int Errors, double P95LatencyMs)
{
    /// <summary>Errors / Samples, or 0 with no samples.</summary>
    public double ErrorRate => Samples > 0 ? (double)Errors / Samples : 0;
}

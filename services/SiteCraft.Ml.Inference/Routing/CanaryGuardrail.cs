using System.Globalization;

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>Judges a canary against stable on live numbers: breach when its error rate or p95 latency is worse by more than the settings allow.</summary>
public static class CanaryGuardrail
{
    // Rates and ratios are computed from counts; a value that equals its limit on paper must not breach by a rounding error.
    private const double Tolerance = 1e-9;

    public static GuardrailDecision Evaluate(ArmStats stable, ArmStats canary, GuardrailSettings settings)
    {
        ArgumentNullException.ThrowIfNull(stable);
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(settings);

        if (canary.Samples < settings.MinSamples)
        {
            return new GuardrailDecision(
                GuardrailVerdict.InsufficientData,
                string.Create(CultureInfo.InvariantCulture, $"canary has {canary.Samples} samples, fewer than the {settings.MinSamples} needed"));
        }

        var over = string.Create(CultureInfo.InvariantCulture, $"over {canary.Samples} canary samples");
        var delta = canary.ErrorRate - stable.ErrorRate;
        var errorBreach = delta > settings.MaxErrorRateDelta + Tolerance;
        var ratio = stable.P95LatencyMs > 0 ? canary.P95LatencyMs / stable.P95LatencyMs : (double?)null;
        var latencyBreach = ratio > settings.MaxP95LatencyRatio + Tolerance;

        if (!errorBreach && !latencyBreach)
        {
            var latency = ratio is { } r
                ? string.Create(CultureInfo.InvariantCulture, $"p95 {canary.P95LatencyMs:0} ms is {r:0.00}x stable {stable.P95LatencyMs:0} ms (limit {settings.MaxP95LatencyRatio:0.00}x)")
                : "stable has no p95 latency to compare";
            return new GuardrailDecision(
                GuardrailVerdict.Healthy,
                string.Create(CultureInfo.InvariantCulture, $"canary error rate {Percent(canary.ErrorRate)} vs stable {Percent(stable.ErrorRate)} (limit +{Points(settings.MaxErrorRateDelta)} points), {latency} {over}"));
        }

        var reasons = new List<string>(2);
        if (errorBreach)
        {
            reasons.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"canary error rate {Percent(canary.ErrorRate)} exceeds stable {Percent(stable.ErrorRate)} by {Points(delta)} points (limit {Points(settings.MaxErrorRateDelta)})"));
        }

        if (latencyBreach)
        {
            reasons.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"canary p95 latency {canary.P95LatencyMs:0} ms is {ratio:0.00}x stable {stable.P95LatencyMs:0} ms (limit {settings.MaxP95LatencyRatio:0.00}x)"));
        }

        return new GuardrailDecision(GuardrailVerdict.Breach, $"{string.Join("; ", reasons)} {over}");
    }

    private static string Percent(double rate) => string.Create(CultureInfo.InvariantCulture, $"{rate * 100:0.0}%");

    private static string Points(double rate) => string.Create(CultureInfo.InvariantCulture, $"{rate * 100:0.0}");
}

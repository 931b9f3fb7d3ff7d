namespace SiteCraft.Ml.Inference.Routing;

/// <summary>One problem with a policy draft; Field is a JSON path into the policy, e.g. "arms[1].weight" or "settings.breaker.failure_threshold".</summary>
public sealed record FieldViolation(string Field, string Description);

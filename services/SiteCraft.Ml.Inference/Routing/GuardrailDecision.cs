namespace SiteCraft.Ml.Inference.Routing;

public enum GuardrailVerdict
{
    Healthy,
    InsufficientData,
    Breach,
}

/// <summary>A verdict and, for the audit trail and the operator, the numbers behind it.</summary>
public sealed record GuardrailDecision(GuardrailVerdict Verdict, string Reason);

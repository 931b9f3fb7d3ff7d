namespace SiteCraft.Ml.Inference.Routing;

public enum ArmRole
{
    Stable,
    Canary,
}

/// <summary>One weighted (provider, model) arm of a routing policy; weights are relative, not percentages.</summary>
public sealed record PolicyArm(string Provider, string Model, double Weight, ArmRole Role)
{
    public RouteTarget Target => new(Provider, Model);
}

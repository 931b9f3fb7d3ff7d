namespace SiteCraft.Ml.Inference.Routing;

public sealed record RouteTarget(string Provider, string Model)
{
    public override string ToString() => $"{Provider}/{Model}";
}

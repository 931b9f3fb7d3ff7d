namespace SiteCraft.Ml.Inference.Routing;

public enum CandidateKind
{
    Stable,
    Canary,
    Fallback,
}

/// <summary>One attempt in a request's ordered plan; Position 0 is the chosen arm.</summary>
public sealed record RouteCandidate(RouteTarget Target, CandidateKind Kind, int Position);

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>A new policy version before it is published; a null Salt keeps the current one.</summary>
public sealed record PolicyDraft(IReadOnlyList<PolicyArm> Arms, IReadOnlyList<RouteTarget> Fallback, PolicySettings Settings, string? Salt);

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>One immutable version of an ai_routing_policies row.</summary>
public sealed record RoutingPolicy(
    long PolicyId,
    string Environment,
    string UseCase,
    int Version,
    string Salt,
    IReadOnlyList<PolicyArm> Arms,
    IReadOnlyList<RouteTarget> Fallback,
    PolicySettings Settings)
{
    /// <summary>
    /// True when any arm has the canary role, even at weight 0 (a paused canary can still be promoted or removed).
    /// Computed, not stored, so that a <c>with { Arms = ... }</c> copy never carries a stale answer.
    /// </summary>
    public bool HasCanary
    {
        get
        {
            for (var i = 0; i < Arms.Count; i++)
            {
                if (Arms[i].Role == ArmRole.Canary)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

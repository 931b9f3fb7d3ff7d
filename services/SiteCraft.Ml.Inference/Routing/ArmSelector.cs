namespace SiteCraft.Ml.Inference.Routing;

/// <summary>
/// Sticky, weighted, consistent arm choice by weighted rendezvous hashing (highest random weight):
/// each arm scores -w / ln(u) with u in (0, 1) drawn from a hash of (subject, arm), and the highest score wins.
/// -ln(u) / w is an exponential race with rate w, so an arm wins with probability w / total; an arm's score
/// depends only on its own weight, so raising one arm moves subjects only to it, and scaling a group of arms
/// by one factor never reorders them.
/// </summary>
public static class ArmSelector
{
    private const byte SubjectIsTenantAndSite = 1;
    private const byte SubjectIsFallbackKey = 2;

    /// <summary>
    /// The subject of a request, salted: tenant and site when either is given, otherwise the fallback key
    /// (session or request id). Stable across processes and runs.
    /// </summary>
    public static ulong SubjectHash(string salt, string? tenantId, string? siteId, string? fallbackKey)
    {
        var state = StableHash.Add(StableHash.Start(), salt);
        if (!string.IsNullOrEmpty(tenantId) || !string.IsNullOrEmpty(siteId))
        {
            state = StableHash.Add(state, SubjectIsTenantAndSite);
            state = StableHash.Add(state, tenantId);
            state = StableHash.Add(state, siteId);
        }
        else
        {
            state = StableHash.Add(state, SubjectIsFallbackKey);
            state = StableHash.Add(state, fallbackKey);
        }

        return StableHash.Mix(state);
    }

    public static PolicyArm Choose(RoutingPolicy policy, ulong subjectHash)
    {
        ArgumentNullException.ThrowIfNull(policy);

        var arms = policy.Arms;
        PolicyArm? best = null;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < arms.Count; i++)
        {
            var arm = arms[i];
            if (!(arm.Weight > 0) || double.IsInfinity(arm.Weight))
            {
                continue;
            }

            var score = arm.Weight / -Math.Log(Unit(subjectHash, arm));
            if (score > bestScore)
            {
                best = arm;
                bestScore = score;
            }
        }

        return best ?? throw new InvalidOperationException(
            $"Routing policy {policy.PolicyId} ({policy.Environment}/{policy.UseCase} v{policy.Version}) has no arm with a weight above 0.");
    }

    /// <summary>The ordered attempts for one request: the chosen arm, then the fallback chain without targets already listed.</summary>
    public static IReadOnlyList<RouteCandidate> Candidates(RoutingPolicy policy, ulong subjectHash)
    {
        var chosen = Choose(policy, subjectHash);
        var fallback = policy.Fallback;
        var candidates = new List<RouteCandidate>(1 + fallback.Count)
        {
            new(chosen.Target, chosen.Role == ArmRole.Canary ? CandidateKind.Canary : CandidateKind.Stable, 0),
        };

        for (var i = 0; i < fallback.Count; i++)
        {
            var target = fallback[i];
            if (!Contains(candidates, target))
            {
                candidates.Add(new RouteCandidate(target, CandidateKind.Fallback, candidates.Count));
            }
        }

        return candidates;
    }

    private static bool Contains(List<RouteCandidate> candidates, RouteTarget target)
    {
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate.Target.Provider, target.Provider, StringComparison.Ordinal)
                && string.Equals(candidate.Target.Model, target.Model, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A uniform draw in the open interval (0, 1) for (subject, arm): the top 53 bits, centred in their cell.</summary>
    private static double Unit(ulong subjectHash, PolicyArm arm)
    {
        var armKey = StableHash.Mix(StableHash.Add(StableHash.Add(StableHash.Start(), arm.Provider), arm.Model));
        var bits = StableHash.Mix(StableHash.Mix(subjectHash ^ armKey));
        return ((bits >> 11) + 0.5) * (1.0 / (1UL << 53));
    }
}

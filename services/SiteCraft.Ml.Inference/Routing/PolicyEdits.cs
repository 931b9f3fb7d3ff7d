namespace SiteCraft.Ml.Inference.Routing;

/// <summary>
/// The arm edits administration makes: new lists, inputs untouched. Weights come out summing to 100 so they
/// read as percentages; each role keeps its arms' relative proportions, which (see ArmSelector) keeps every
/// subject on its stable arm unless it moves to the canary.
/// </summary>
public static class PolicyEdits
{
    private const double Total = 100;

    /// <summary>Canary arms together get sharePercent, stable arms the rest; a role whose arms all weigh 0 splits its share evenly.</summary>
    /// <exception cref="ArgumentException">No canary arm, no stable arm, or a share outside [0, 100].</exception>
    public static IReadOnlyList<PolicyArm> WithCanaryShare(IReadOnlyList<PolicyArm> arms, double sharePercent)
    {
        ArgumentNullException.ThrowIfNull(arms);
        if (!(sharePercent is >= 0 and <= Total))
        {
            throw new ArgumentOutOfRangeException(nameof(sharePercent), sharePercent, "The canary share is a percentage between 0 and 100.");
        }

        var canary = Summarise(arms, ArmRole.Canary);
        var stable = Summarise(arms, ArmRole.Stable);
        if (canary.Count == 0)
        {
            throw new ArgumentException("The policy has no canary arm to give a share to.", nameof(arms));
        }

        if (stable.Count == 0)
        {
            throw new ArgumentException("The policy has no stable arm to take the rest of the traffic.", nameof(arms));
        }

        var result = new List<PolicyArm>(arms.Count);
        foreach (var arm in arms)
        {
            result.Add(arm.Role == ArmRole.Canary
                ? arm with { Weight = canary.Scale(arm, sharePercent) }
                : arm with { Weight = stable.Scale(arm, Total - sharePercent) });
        }

        return result;
    }

    /// <summary>The canary arms become the only arms, as stable, scaled to 100; the old stable arms are dropped.</summary>
    /// <exception cref="InvalidOperationException">No canary arm.</exception>
    public static IReadOnlyList<PolicyArm> Promote(IReadOnlyList<PolicyArm> arms)
    {
        ArgumentNullException.ThrowIfNull(arms);
        var canary = Summarise(arms, ArmRole.Canary);
        if (canary.Count == 0)
        {
            throw new InvalidOperationException("The policy has no canary arm to promote.");
        }

        return Keep(arms, ArmRole.Canary, canary);
    }

    /// <summary>The stable arms only, scaled to 100: a rollback of the canary.</summary>
    public static IReadOnlyList<PolicyArm> WithoutCanary(IReadOnlyList<PolicyArm> arms)
    {
        ArgumentNullException.ThrowIfNull(arms);
        return Keep(arms, ArmRole.Stable, Summarise(arms, ArmRole.Stable));
    }

    private static List<PolicyArm> Keep(IReadOnlyList<PolicyArm> arms, ArmRole role, Group group)
    {
        var result = new List<PolicyArm>(group.Count);
        foreach (var arm in arms)
        {
            if (arm.Role == role)
            {
                result.Add(arm with { Weight = group.Scale(arm, Total), Role = ArmRole.Stable });
            }
        }

        return result;
    }

    private static Group Summarise(IReadOnlyList<PolicyArm> arms, ArmRole role)
    {
        var count = 0;
        var weight = 0.0;
        foreach (var arm in arms)
        {
            if (arm.Role == role)
            {
                count++;
                weight += arm.Weight;
            }
        }

        return new Group(count, weight);
    }

    private readonly record struct Group(int Count, double Weight)
    {
        public double Scale(PolicyArm arm, double share) => Weight > 0 ? share * (arm.Weight / Weight) : share / Count;
    }
}

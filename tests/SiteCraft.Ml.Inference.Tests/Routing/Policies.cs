using SiteCraft.Ml.Inference.Routing;

namespace SiteCraft.Ml.Inference.Tests.Routing;

/// <summary>Builders for the routing tests: policies over given arms and a fixed population of subjects.</summary>
internal static class Policies
{
    public const string Salt = "staging:site.page.json";

    /// <summary>100 000 subjects keyed like anonymous sessions; fixed, so the statistical tests are deterministic.</summary>
    public static ulong[] Subjects { get; } = CreateSubjects(Salt, 100_000);

    public static RoutingPolicy With(params PolicyArm[] arms) => With(arms, []);

    public static RoutingPolicy With(IReadOnlyList<PolicyArm> arms, IReadOnlyList<RouteTarget> fallback) =>
        new(42, "staging", "site.page.json", 3, Salt, arms, fallback, PolicySettings.Default);

    public static PolicyArm Stable(string model, double weight) => new("openai", model, weight, ArmRole.Stable);

    public static PolicyArm Canary(string model, double weight) => new("anthropic", model, weight, ArmRole.Canary);

    public static ulong[] CreateSubjects(string salt, int count)
    {
        var subjects = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            subjects[i] = ArmSelector.SubjectHash(salt, null, null, $"session-{i}");
        }

        return subjects;
    }

    /// <summary>The share of subjects each arm gets, in percent, in the order of the policy's arms.</summary>
    public static double[] SharesPercent(RoutingPolicy policy, ulong[] subjects)
    {
        var counts = new int[policy.Arms.Count];
        foreach (var subject in subjects)
        {
            counts[IndexOf(policy, ArmSelector.Choose(policy, subject))]++;
        }

        return Array.ConvertAll(counts, count => 100.0 * count / subjects.Length);
    }

    public static int IndexOf(RoutingPolicy policy, PolicyArm arm)
    {
        for (var i = 0; i < policy.Arms.Count; i++)
        {
            if (ReferenceEquals(policy.Arms[i], arm))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{arm} is not an arm of the policy.");
    }
}

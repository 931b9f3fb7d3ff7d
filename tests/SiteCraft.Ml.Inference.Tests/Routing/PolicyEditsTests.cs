using CsCheck;
using SiteCraft.Ml.Inference.Routing;
using static SiteCraft.Ml.Inference.Tests.Routing.Policies;

namespace SiteCraft.Ml.Inference.Tests.Routing;

public sealed class PolicyEditsTests
{
    private static readonly PolicyArm[] s_arms =
    [
        Stable("gpt-4o-mini", 70),
        Stable("gpt-4o", 30),
        Canary("claude-3-5-haiku-latest", 3),
        Canary("claude-3-5-sonnet-latest", 1),
    ];

    [Fact]
    public void A_canary_share_is_split_among_canaries_and_the_rest_among_stable_arms_in_proportion()
    {
        var arms = PolicyEdits.WithCanaryShare(s_arms, 20);

        AssertWeights([56.0, 24.0, 15.0, 5.0], arms);
        Assert.Equal(s_arms.Select(arm => (arm.Target, arm.Role)), arms.Select(arm => (arm.Target, arm.Role)));
    }

    [Fact]
    public void Any_canary_share_keeps_proportions_and_totals_100()
    {
        Gen.Select(Gen.Double[0.1, 100].Array[1, 4], Gen.Double[0.1, 100].Array[1, 3], Gen.Double[0, 100]).Sample(
            (stableWeights, canaryWeights, share) =>
            {
                PolicyArm[] arms = [.. stableWeights.Select((w, i) => Stable($"s{i}", w)), .. canaryWeights.Select((w, i) => Canary($"c{i}", w))];

                var edited = PolicyEdits.WithCanaryShare(arms, share);

                Assert.Equal(100, edited.Sum(arm => arm.Weight), 1e-9);
                Assert.Equal(share, edited.Where(arm => arm.Role == ArmRole.Canary).Sum(arm => arm.Weight), 1e-9);
                for (var i = 1; i < stableWeights.Length && share < 100; i++)
                {
                    Assert.Equal(stableWeights[i] / stableWeights[0], edited[i].Weight / edited[0].Weight, 1e-9);
                }
            },
            iter: 300);
    }

    [Fact]
    public void A_canary_share_of_0_keeps_the_canary_arms_at_weight_0()
    {
        var arms = PolicyEdits.WithCanaryShare(s_arms, 0);

        AssertWeights([70.0, 30.0, 0.0, 0.0], arms);
    }

    [Fact]
    public void Canaries_at_weight_0_share_a_new_canary_share_evenly()
    {
        var arms = PolicyEdits.WithCanaryShare(PolicyEdits.WithCanaryShare(s_arms, 0), 10);

        AssertWeights([63.0, 27.0, 5.0, 5.0], arms);
    }

    [Fact]
    public void A_canary_share_needs_a_canary_arm_and_a_percentage()
    {
        Assert.Throws<ArgumentException>(() => PolicyEdits.WithCanaryShare([Stable("gpt-4o-mini", 100)], 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyEdits.WithCanaryShare(s_arms, 100.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyEdits.WithCanaryShare(s_arms, double.NaN));
    }

    [Fact]
    public void Promoting_makes_the_canaries_the_only_stable_arms_scaled_to_100()
    {
        var arms = PolicyEdits.Promote(s_arms);

        Assert.Equal(
            [new PolicyArm("anthropic", "claude-3-5-haiku-latest", 75, ArmRole.Stable), new PolicyArm("anthropic", "claude-3-5-sonnet-latest", 25, ArmRole.Stable)],
            arms);
    }

    [Fact]
    public void Promoting_without_a_canary_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => PolicyEdits.Promote([Stable("gpt-4o-mini", 100)]));
    }

    [Fact]
    public void Removing_the_canary_leaves_the_stable_arms_scaled_to_100()
    {
        var arms = PolicyEdits.WithoutCanary([Stable("gpt-4o-mini", 60), Stable("gpt-4o", 20), Canary("claude-3-5-haiku-latest", 20)]);

        Assert.Equal([Stable("gpt-4o-mini", 75), Stable("gpt-4o", 25)], arms);
    }

    [Fact]
    public void Edits_return_new_lists_and_leave_their_input_alone()
    {
        var before = s_arms.ToArray();

        _ = PolicyEdits.WithCanaryShare(s_arms, 50);
        _ = PolicyEdits.Promote(s_arms);
        _ = PolicyEdits.WithoutCanary(s_arms);

        Assert.Equal(before, s_arms);
    }

    private static void AssertWeights(double[] expected, IReadOnlyList<PolicyArm> arms)
    {
        Assert.Equal(expected.Length, arms.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], arms[i].Weight, 1e-9);
        }
    }
}

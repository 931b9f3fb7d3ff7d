using CsCheck;
using SiteCraft.Ml.Inference.Routing;
using static SiteCraft.Ml.Inference.Tests.Routing.Policies;

namespace SiteCraft.Ml.Inference.Tests.Routing;

public sealed class ArmSelectorTests
{
    private static readonly Gen<double> s_weight = Gen.Double[0.5, 100];

    [Fact]
    public void Shares_of_subjects_converge_to_70_20_10_within_one_point_for_any_salt()
    {
        var policy = With(Stable("gpt-4o-mini", 70), Stable("gpt-4o", 20), Canary("claude-3-5-haiku-latest", 10));

        Gen.String[1, 20].Sample(
            salt =>
            {
                var shares = SharesPercent(policy, CreateSubjects(salt, 100_000));

                Assert.InRange(shares[0], 69, 71);
                Assert.InRange(shares[1], 19, 21);
                Assert.InRange(shares[2], 9, 11);
            },
            iter: 4,
            threads: 1);
    }

    [Fact]
    public void Shares_of_subjects_converge_to_any_weights()
    {
        var subjects = Subjects.AsSpan(0, 20_000).ToArray();

        s_weight.Array[2, 4].Sample(
            weights =>
            {
                var shares = SharesPercent(With(Arms(weights)), subjects);

                var total = weights.Sum();
                for (var i = 0; i < weights.Length; i++)
                {
                    // 20 000 subjects: one standard error is at most 0.36 points, so 2.5 points is ~7 of them.
                    Assert.InRange(shares[i], (100 * weights[i] / total) - 2.5, (100 * weights[i] / total) + 2.5);
                }
            },
            iter: 25,
            threads: 1);
    }

    [Fact]
    public void The_same_subject_gets_the_same_arm_from_a_recreated_policy()
    {
        Gen.Select(Gen.String, Gen.String, s_weight.Array[1, 5]).Sample(
            (tenant, site, weights) =>
            {
                var subject = ArmSelector.SubjectHash(Salt, tenant, site, null);
                var first = ArmSelector.Choose(With(Arms(weights)), subject);

                var again = ArmSelector.Choose(With(Arms(weights)), ArmSelector.SubjectHash(Salt, tenant, site, null));

                Assert.Equal(first, again);
            },
            iter: 200);
    }

    [Fact]
    public void Subject_hashes_and_choices_are_pinned_so_every_process_and_release_agrees()
    {
        // Values from an independent re-implementation of the hash; a change here reshuffles every subject in production.
        var policy = With(Stable("gpt-4o-mini", 50), Canary("claude-3-5-haiku-latest", 50));

        var subjects = new[]
        {
            ArmSelector.SubjectHash(Salt, "tenant-1", "site-1", null),
            ArmSelector.SubjectHash(Salt, "tenant-2", "site-1", null),
            ArmSelector.SubjectHash(Salt, null, null, "session-2"),
            ArmSelector.SubjectHash(Salt, null, null, "session-3"),
        };

        Assert.Equal([10005407203363170808UL, 11117585790026153092UL, 5912720771838575426UL, 1428349988917944499UL], subjects);
        Assert.Equal(
            ["claude-3-5-haiku-latest", "gpt-4o-mini", "claude-3-5-haiku-latest", "gpt-4o-mini"],
            subjects.Select(subject => ArmSelector.Choose(policy, subject).Model));
    }

    [Fact]
    public void Tenant_and_site_identify_the_subject_and_the_fallback_key_is_used_only_without_them()
    {
        var withSession = ArmSelector.SubjectHash(Salt, "tenant-1", "site-1", "session-1");
        var withOtherSession = ArmSelector.SubjectHash(Salt, "tenant-1", "site-1", "session-2");
        var sessionOnly = ArmSelector.SubjectHash(Salt, null, null, "session-1");
        var otherSessionOnly = ArmSelector.SubjectHash(Salt, "", "", "session-2");

        Assert.Equal(withSession, withOtherSession);
        Assert.NotEqual(sessionOnly, otherSessionOnly);
        Assert.NotEqual(withSession, sessionOnly);
    }

    [Fact]
    public void Salt_and_field_boundaries_change_the_subject_hash()
    {
        var subject = ArmSelector.SubjectHash(Salt, "ab", "c", null);

        Assert.NotEqual(subject, ArmSelector.SubjectHash("production:site.page.json", "ab", "c", null));
        Assert.NotEqual(subject, ArmSelector.SubjectHash(Salt, "a", "bc", null));
        Assert.NotEqual(subject, ArmSelector.SubjectHash(Salt, "c", "ab", null));
    }

    [Fact]
    public void Raising_the_canary_from_5_to_10_percent_moves_about_5_percent_of_subjects_all_to_the_canary()
    {
        var before = With(Stable("gpt-4o-mini", 60), Stable("gpt-4o", 35), Canary("claude-3-5-haiku-latest", 5));
        var after = With(PolicyEdits.WithCanaryShare(before.Arms, 10), []);

        var moved = 0;
        foreach (var subject in Subjects)
        {
            var from = ArmSelector.Choose(before, subject);
            var to = ArmSelector.Choose(after, subject);
            if (from.Target != to.Target)
            {
                moved++;
                Assert.Equal(ArmRole.Stable, from.Role);
                Assert.Equal(ArmRole.Canary, to.Role);
            }
        }

        Assert.InRange(100.0 * moved / Subjects.Length, 4.3, 5.7);
    }

    [Fact]
    public void Raising_any_canary_share_moves_subjects_only_from_stable_arms_to_the_canary()
    {
        var subjects = Subjects.AsSpan(0, 5_000).ToArray();

        Gen.Select(s_weight.Array[1, 4], Gen.Double[0, 50], Gen.Double[0, 50]).Sample(
            (stableWeights, share, raise) =>
            {
                var before = With(PolicyEdits.WithCanaryShare([.. Arms(stableWeights), Canary("claude-3-5-haiku-latest", 1)], share), []);
                var after = With(PolicyEdits.WithCanaryShare(before.Arms, share + raise), []);

                foreach (var subject in subjects)
                {
                    var from = ArmSelector.Choose(before, subject);
                    var to = ArmSelector.Choose(after, subject);
                    Assert.True(from.Target == to.Target || to.Role == ArmRole.Canary, $"{from.Target} moved to {to.Target}");
                }
            },
            iter: 50,
            threads: 1);
    }

    [Fact]
    public void Scaling_the_stable_weights_moves_no_subject_between_stable_arms()
    {
        var subjects = Subjects.AsSpan(0, 5_000).ToArray();

        Gen.Select(s_weight.Array[2, 4], Gen.Double[0.01, 100]).Sample(
            (stableWeights, factor) =>
            {
                var canary = Canary("claude-3-5-haiku-latest", 10);
                var before = With([.. Arms(stableWeights), canary], []);
                var after = With([.. Arms(stableWeights.Select(weight => weight * factor).ToArray()), canary], []);

                foreach (var subject in subjects)
                {
                    var from = ArmSelector.Choose(before, subject);
                    var to = ArmSelector.Choose(after, subject);
                    if (from.Role == ArmRole.Stable && to.Role == ArmRole.Stable)
                    {
                        Assert.Equal(from.Target, to.Target);
                    }
                }
            },
            iter: 50,
            threads: 1);
    }

    [Fact]
    public void An_arm_with_weight_0_is_never_chosen()
    {
        var policy = With(Stable("gpt-4o-mini", 1), Canary("claude-3-5-haiku-latest", 0), Stable("gpt-4o", 0));

        var shares = SharesPercent(policy, Subjects);

        Assert.Equal([100.0, 0.0, 0.0], shares);
    }

    [Fact]
    public void A_policy_without_any_weighted_arm_cannot_choose()
    {
        var policy = With(Stable("gpt-4o-mini", 0));

        var error = Assert.Throws<InvalidOperationException>(() => ArmSelector.Choose(policy, Subjects[0]));

        Assert.Contains("no arm with a weight above 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidates_are_the_chosen_arm_then_the_fallback_chain_in_order_without_repeats()
    {
        var policy = With(
            [Stable("gpt-4o-mini", 100)],
            [
                new RouteTarget("anthropic", "claude-3-5-haiku-latest"),
                new RouteTarget("openai", "gpt-4o-mini"),
                new RouteTarget("sitecraft-local", "sitecraft-base@1"),
                new RouteTarget("anthropic", "claude-3-5-haiku-latest"),
            ]);

        var candidates = ArmSelector.Candidates(policy, Subjects[0]);

        Assert.Equal(
            [
                new RouteCandidate(new RouteTarget("openai", "gpt-4o-mini"), CandidateKind.Stable, 0),
                new RouteCandidate(new RouteTarget("anthropic", "claude-3-5-haiku-latest"), CandidateKind.Fallback, 1),
                new RouteCandidate(new RouteTarget("sitecraft-local", "sitecraft-base@1"), CandidateKind.Fallback, 2),
            ],
            candidates);
    }

    [Fact]
    public void A_subject_on_the_canary_gets_a_canary_candidate_first()
    {
        var policy = With([Stable("gpt-4o-mini", 50), Canary("claude-3-5-haiku-latest", 50)], [new RouteTarget("openai", "gpt-4o-mini")]);
        var onCanary = Subjects.First(subject => ArmSelector.Choose(policy, subject).Role == ArmRole.Canary);

        var candidates = ArmSelector.Candidates(policy, onCanary);

        Assert.Equal([CandidateKind.Canary, CandidateKind.Fallback], candidates.Select(candidate => candidate.Kind));
        Assert.Equal("claude-3-5-haiku-latest", candidates[0].Target.Model);
    }

    [Fact]
    public void Candidates_never_repeat_a_target_and_number_their_positions()
    {
        var targets = Gen.OneOf(
            new RouteTarget("openai", "gpt-4o-mini"),
            new RouteTarget("openai", "gpt-4o"),
            new RouteTarget("anthropic", "claude-3-5-haiku-latest"),
            new RouteTarget("sitecraft-local", "sitecraft-base@1"));

        Gen.Select(targets.Array[0, 8], Gen.ULong).Sample(
            (fallback, subject) =>
            {
                var policy = With([Stable("gpt-4o-mini", 70), Stable("gpt-4o", 30)], fallback);

                var candidates = ArmSelector.Candidates(policy, subject);

                Assert.Equal(candidates.Count, candidates.Select(candidate => candidate.Target).Distinct().Count());
                Assert.Equal(Enumerable.Range(0, candidates.Count), candidates.Select(candidate => candidate.Position));
                Assert.All(fallback, target => Assert.Contains(target, candidates.Select(candidate => candidate.Target)));
            },
            iter: 200);
    }

    private static PolicyArm[] Arms(double[] stableWeights)
    {
        var arms = new PolicyArm[stableWeights.Length];
        for (var i = 0; i < stableWeights.Length; i++)
        {
            arms[i] = Stable($"model-{i}", stableWeights[i]);
        }

        return arms;
    }
}

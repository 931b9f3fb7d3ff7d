using SiteCraft.Ml.Inference.Providers;

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>One provider call the router may make, in order.</summary>
/// <remarks>Arm: "stable", "canary", "fallback" or "pinned" (ai_generation_events.arm).</remarks>
public sealed record PlannedAttempt(RouteTarget Target, string Arm, ProviderConfig Provider, ModelInfo Model);

/// <summary>A candidate the router will not call, and why.</summary>
public sealed record SkippedCandidate(RouteTarget Target, string Arm, string Reason, SkipKind Kind);

public enum SkipKind { Disabled, UnknownModel, NoPassingGate, OverCost }

/// <summary>How one request would be routed; <see cref="Explain"/> for the dry run.</summary>
public sealed record RoutePlan(
    ActivePolicy? Policy,
    ulong SubjectHash,
    IReadOnlyList<PlannedAttempt> Attempts,
    IReadOnlyList<SkippedCandidate> Skipped)
{
    public string Explain()
    {
        var lines = new List<string>();
        if (Policy is { } active)
        {
            lines.Add($"policy {active.Policy.Environment}/{active.Policy.UseCase} v{active.Policy.Version} (id {active.Policy.PolicyId}), subject hash {SubjectHash:x16}");
        }

        lines.AddRange(Attempts.Select((a, i) => $"attempt {i + 1}: {a.Target.Provider}/{a.Target.Model} ({a.Arm})"));
        lines.AddRange(Skipped.Select(s => $"skipped {s.Target.Provider}/{s.Target.Model} ({s.Arm}): {s.Reason}"));
        return string.Join('\n', lines);
    }
}

/// <summary>What the planner needs to know about one request.</summary>
public readonly record struct RouteRequest(
    string Environment,
    string UseCase,
    string? TenantId,
    string? SiteId,
    string? StickyFallbackKey,
    RouteTarget? Pinned,
    bool AllowFallback,
    double? MaxCostUsd,
    long EstimatedInputTokens,
    int MaxOutputTokens);

/// <summary>
/// Turns the active policy and the snapshot into the ordered attempts for a request: the sticky arm,
/// then the fallback chain, minus candidates that are disabled, unpriced, ungated (where gates are
/// required) or over the request's cost limit. Pure apart from reading the snapshot.
/// </summary>
public sealed class RoutePlanner(ProviderRegistry registry, ServedEnvironments environments)
{
    public RoutePlan Plan(RoutingSnapshot snapshot, in RouteRequest request)
    {
        if (request.Pinned is { } pinned)
        {
            // Pinned routes are how evals measure a model before it has a gate, so no gate check here.
            var skipped = new List<SkippedCandidate>(1);
            var attempts = new List<PlannedAttempt>(1);
            Consider(snapshot, request, pinned, "pinned", gated: false, attempts, skipped);
            return new RoutePlan(snapshot.PolicyFor(request.Environment, request.UseCase), 0, attempts, skipped);
        }

        var active = snapshot.PolicyFor(request.Environment, request.UseCase);
        if (active is null)
        {
            return new RoutePlan(null, 0, [], []);
        }

        var policy = active.Policy;
        var subject = ArmSelector.SubjectHash(policy.Salt, request.TenantId, request.SiteId, request.StickyFallbackKey);
        var candidates = ArmSelector.Candidates(policy, subject);
        var gated = environments.RequiresGates(request.Environment);
        var planned = new List<PlannedAttempt>(candidates.Count);
        var skippedCandidates = new List<SkippedCandidate>();
        foreach (var candidate in candidates)
        {
            var arm = candidate.Kind switch
            {
                CandidateKind.Canary => "canary",
                CandidateKind.Fallback => "fallback",
                _ => "stable",
            };
            Consider(snapshot, request, candidate.Target, arm, gated, planned, skippedCandidates);
            if (!request.AllowFallback && planned.Count == 1)
            {
                break;
            }
        }

        return new RoutePlan(active, subject, planned, skippedCandidates);
    }

    private void Consider(
        RoutingSnapshot snapshot,
        in RouteRequest request,
        RouteTarget target,
        string arm,
        bool gated,
        List<PlannedAttempt> attempts,
        List<SkippedCandidate> skipped)
    {
        var provider = snapshot.ProviderFor(request.Environment, target.Provider);
        if (registry.DisabledReason(provider) is { } disabled)
        {
            skipped.Add(new(target, arm, $"provider {target.Provider} is disabled: {disabled}", SkipKind.Disabled));
            return;
        }

        if (snapshot.ModelFor(target.Provider, target.Model) is not { } model)
        {
            skipped.Add(new(target, arm, $"model {target.Provider}/{target.Model} is not in ai_models (no price)", SkipKind.UnknownModel));
            return;
        }

        if (gated && !snapshot.HasPassingGate(request.Environment, request.UseCase, target.Provider, target.Model))
        {
            skipped.Add(new(
                target,
                arm,
                $"no passing eval gate for {target.Provider}/{target.Model} on {request.UseCase} in {request.Environment}",
                SkipKind.NoPassingGate));
            return;
        }

        if (request.MaxCostUsd is { } limit)
        {
            var worstCase = (double)model.CostUsd(request.EstimatedInputTokens, request.MaxOutputTokens);
            if (worstCase > limit)
            {
                skipped.Add(new(target, arm, $"worst-case cost ${worstCase:0.######} exceeds max_cost_usd ${limit:0.######}", SkipKind.OverCost));
                return;
            }
        }

        attempts.Add(new PlannedAttempt(target, arm, provider!, model));
    }
}

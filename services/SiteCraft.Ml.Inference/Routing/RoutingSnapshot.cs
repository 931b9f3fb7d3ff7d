using System.Collections.Frozen;
using SiteCraft.Ml.Inference.Providers;

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>The active policy of one (environment, use case) and what a rollback returns to.</summary>
public sealed record ActivePolicy(RoutingPolicy Policy, long? PreviousPolicyId);

/// <summary>
/// Everything a request needs to be routed, loaded from Postgres in one go and swapped whole, so a
/// request never sees half of a change and never waits on the database.
/// </summary>
public sealed record RoutingSnapshot(
    FrozenDictionary<(string Environment, string UseCase), ActivePolicy> Policies,
    FrozenDictionary<(string Environment, string Provider), ProviderConfig> Providers,
    FrozenDictionary<(string Provider, string Model), ModelInfo> Models,
    FrozenSet<GateKey> PassingGates,
    DateTimeOffset LoadedAt)
{
    public static RoutingSnapshot Empty { get; } = new(
        FrozenDictionary<(string, string), ActivePolicy>.Empty,
        FrozenDictionary<(string, string), ProviderConfig>.Empty,
        FrozenDictionary<(string, string), ModelInfo>.Empty,
        FrozenSet<GateKey>.Empty,
        DateTimeOffset.MinValue);

    public ActivePolicy? PolicyFor(string environment, string useCase) =>
        Policies.TryGetValue((environment, useCase), out var policy) ? policy : null;

    public ProviderConfig? ProviderFor(string environment, string provider) =>
        Providers.TryGetValue((environment, provider), out var config) ? config : null;

    public ModelInfo? ModelFor(string provider, string model) =>
        Models.TryGetValue((provider, model), out var info) ? info : null;

    public bool HasPassingGate(string environment, string useCase, string provider, string model) =>
        PassingGates.Contains(new GateKey(environment, useCase, provider, model));
}

/// <summary>A target whose latest eval gate decision for a use case in an environment passed.</summary>
public readonly record struct GateKey(string Environment, string UseCase, string Provider, string Model);

using Microsoft.Extensions.Diagnostics.HealthChecks;
using SiteCraft.Ml.Inference.Providers;

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>
/// Ready once policies are loaded. Degraded (still serving) when an arm of an active policy names
/// a disabled provider; every disabled provider is listed with its reason either way.
/// </summary>
public sealed class RoutingHealthCheck(RoutingCache cache, ProviderRegistry registry, ServedEnvironments environments) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!cache.IsLoaded)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("routing policies not loaded yet"));
        }

        var snapshot = cache.Current;
        var data = new Dictionary<string, object>();
        var disabled = new List<string>();
        foreach (var config in snapshot.Providers.Values.Where(p => environments.Serves(p.Environment)))
        {
            var reason = registry.DisabledReason(config);
            data[$"{config.Environment}/{config.Provider}"] = reason is null ? "enabled" : $"disabled: {reason}";
            if (reason is not null)
            {
                disabled.Add($"{config.Environment}/{config.Provider}");
            }
        }

        var routedToDisabled = snapshot.Policies.Values
            .Where(p => environments.Serves(p.Policy.Environment))
            .SelectMany(p => p.Policy.Arms.Where(a => a.Weight > 0).Select(a => (p.Policy.Environment, p.Policy.UseCase, a.Provider)))
            .Where(x => registry.DisabledReason(snapshot.ProviderFor(x.Environment, x.Provider)) is not null)
            .Select(x => $"{x.Environment}/{x.UseCase} → {x.Provider}")
            .Distinct()
            .ToList();

        var description = $"{snapshot.Policies.Count} active policies loaded at {snapshot.LoadedAt:O}"
            + (disabled.Count > 0 ? $"; disabled providers: {string.Join(", ", disabled)}" : string.Empty);
        return Task.FromResult(routedToDisabled.Count > 0
            ? HealthCheckResult.Degraded($"{description}; policies routing to a disabled provider: {string.Join(", ", routedToDisabled)}", data: data)
            : HealthCheckResult.Healthy(description, data));
    }
}

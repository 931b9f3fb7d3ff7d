using Microsoft.Extensions.Diagnostics.HealthChecks;
using SiteCraft.Ml.Evals.Data;

namespace SiteCraft.Ml.Evals.Hosting;

/// <summary>Degraded when a suite file failed to load (the others still run), naming each file and line.</summary>
internal sealed class SuitesHealthCheck(SuiteCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(catalog.Errors.Count == 0
            ? HealthCheckResult.Healthy($"{catalog.Suites.Count} suites loaded")
            : HealthCheckResult.Degraded($"{catalog.Suites.Count} suites loaded; not loaded: {string.Join("; ", catalog.Errors)}"));
}

using Microsoft.Extensions.Options;
using Npgsql;
using SiteCraft.Ml.Inference.Generation;

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>
/// Compares each canary arm with its stable arms on live traffic (first attempts in the policy's
/// guardrail window, from ai_generation_events) and rolls the policy back when a guardrail is
/// breached. One replica acts per tick: the tick runs in a transaction holding an advisory lock.
/// </summary>
public sealed partial class CanaryGuardrailWatcher(
    NpgsqlDataSource dataSource,
    RoutingCache cache,
    PolicyStore store,
    ServedEnvironments environments,
    GenerationMetrics metrics,
    IOptions<RoutingOptions> options,
    ILogger<CanaryGuardrailWatcher> logger) : BackgroundService
{
    /// <summary>Advisory lock key: "SCML" then 2, next to the migrator's 1.</summary>
    public const long LockKey = 0x53434D4C00000002;

    public const string Actor = "canary-guardrail";

    // Only first attempts judge an arm: a fallback row says nothing about the arm that was chosen.
    private const string ArmStatsSql = """
        select arm,
               count(*)::int,
               count(*) filter (where status = 'error')::int,
               coalesce(percentile_cont(0.95) within group (order by latency_ms) filter (where status = 'ok'), 0)
        from ai_generation_events
        where policy_id = $1 and attempt = 1 and arm in ('stable', 'canary') and started_at >= now() - $2::interval
        group by arm
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.GuardrailInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or IOException or PolicyChangeException)
            {
                LogTickFailed(logger, exception);
            }
        }
    }

    /// <summary>One pass over every served policy with a canary. Returns the rollbacks made.</summary>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        var candidates = cache.Current.Policies.Values
            .Where(p => p.Policy.HasCanary && environments.Serves(p.Policy.Environment))
            .ToList();
        if (candidates.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var tryLock = new NpgsqlCommand("select pg_try_advisory_xact_lock($1)", connection) { Parameters = { new() { Value = LockKey } } })
        {
            if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return 0;
            }
        }

        var rollbacks = 0;
        foreach (var active in candidates)
        {
            var policy = active.Policy;
            var guardrails = policy.Settings.Guardrails;
            var (stable, canary) = await StatsAsync(connection, policy.PolicyId, guardrails.Window, cancellationToken);
            var decision = CanaryGuardrail.Evaluate(stable, canary, guardrails);
            if (decision.Verdict != GuardrailVerdict.Breach)
            {
                continue;
            }

            var details = new Dictionary<string, object>
            {
                ["policy_version"] = policy.Version,
                ["stable_samples"] = stable.Samples,
                ["stable_errors"] = stable.Errors,
                ["stable_p95_ms"] = stable.P95LatencyMs,
                ["canary_samples"] = canary.Samples,
                ["canary_errors"] = canary.Errors,
                ["canary_p95_ms"] = canary.P95LatencyMs,
            };
            var to = await store.RollbackInTransactionAsync(
                connection, policy.Environment, policy.UseCase, Actor, decision.Reason, automatic: true, details, cancellationToken);
            metrics.Rollback(policy.Environment, policy.UseCase, automatic: true);
            LogRolledBack(logger, policy.Environment, policy.UseCase, policy.Version, to.Version, decision.Reason);
            rollbacks++;
        }

        await tx.CommitAsync(cancellationToken);
        return rollbacks;
    }

    private static async Task<(ArmStats Stable, ArmStats Canary)> StatsAsync(
        NpgsqlConnection connection, long policyId, TimeSpan window, CancellationToken cancellationToken)
    {
        var stable = new ArmStats(0, 0, 0);
        var canary = new ArmStats(0, 0, 0);
        await using var command = new NpgsqlCommand(ArmStatsSql, connection) { Parameters = { new() { Value = policyId }, new() { Value = window } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stats = new ArmStats(reader.GetInt32(1), reader.GetInt32(2), reader.GetDouble(3));
            if (reader.GetString(0) == "canary")
            {
                canary = stats;
            }
            else
            {
                stable = stats;
            }
        }

        return (stable, canary);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canary guardrail breached for {Environment}/{UseCase} v{From}: rolled back to v{To}. {Reason}")]
    private static partial void LogRolledBack(ILogger logger, string environment, string useCase, int from, int to, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canary guardrail check failed; retrying next tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}

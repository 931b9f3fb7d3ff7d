using Microsoft.Extensions.Options;
using Npgsql;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Data.LoopBack;

namespace SiteCraft.Ml.Contracts.Hosting;

/// <summary>
/// Runs the production loop-back every <see cref="LoopBackOptions.Interval"/>, once across
/// replicas: a run needs a Postgres advisory lock, and a replica that does not get it skips.
/// </summary>
public sealed partial class LoopBackWorker(
    ProductionLoopBack loopBack,
    ContractCatalog catalog,
    NpgsqlDataSource dataSource,
    IOptions<LoopBackOptions> options,
    ILogger<LoopBackWorker> logger) : BackgroundService
{
    // 'SCML' then 3: the inference service's guardrail watcher holds ...02.
    private const long LockKey = 0x53434D4C00000003;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        if (catalog.Contracts.FirstOrDefault(c => c.Id == settings.ContractId) is not { } contract)
        {
            LogNoContract(logger, settings.ContractId);
            return;
        }

        using var timer = new PeriodicTimer(settings.Interval);
        do
        {
            try
            {
                await RunOnceAsync(contract, settings, stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                LogRunFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunOnceAsync(DataContract contract, LoopBackOptions settings, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = LockKey } } })
        {
            if (await take.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return;
            }
        }

        try
        {
            await loopBack.RunOnceAsync(contract, settings, cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand("select pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = LockKey } } };
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loop-back from production is off: no loaded data contract '{Contract}'")]
    private static partial void LogNoContract(ILogger logger, string contract);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loop-back run failed; the next run tries again")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}

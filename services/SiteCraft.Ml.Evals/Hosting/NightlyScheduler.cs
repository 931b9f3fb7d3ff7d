using System.Globalization;
using Cronos;
using SiteCraft.Ml.Evals.Data;

namespace SiteCraft.Ml.Evals.Hosting;

/// <summary>Starts the nightly suites at each occurrence of Evals:Nightly:Cron (UTC); every replica wakes, one starts them.</summary>
internal sealed class NightlyScheduler(NightlyRuns nightly, EvalServiceOptions options, RunSignal queue, TimeProvider time, ILogger<NightlyScheduler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Nightly.Cron))
        {
            logger.LogInformation("Nightly evals are off (Evals:Nightly:Cron is empty)");
            return;
        }

        var cron = CronExpression.Parse(options.Nightly.Cron);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (cron.GetNextOccurrence(now.UtcDateTime, TimeZoneInfo.Utc) is not { } next)
            {
                return;
            }

            await Task.Delay(next - now.UtcDateTime, time, stoppingToken);
            var slot = next.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
            try
            {
                var runs = await nightly.StartAsync(slot, "nightly", stoppingToken);
                ServiceLog.NightlyStarted(logger, slot, runs.Count);
                queue.Signal();
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                logger.LogError(e, "Nightly evals for {Slot} could not start", slot);
            }
        }
    }
}

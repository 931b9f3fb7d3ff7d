using SiteCraft.Ml.Evals.Data;

namespace SiteCraft.Ml.Evals.Hosting;

/// <summary>Scores a sample of production generations every Evals:Online:Interval.</summary>
internal sealed class OnlineEvalWorker(OnlineEvaluator evaluator, EvalServiceOptions options, ILogger<OnlineEvalWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Online.Interval <= TimeSpan.Zero || options.Online.SampleRate <= 0)
        {
            logger.LogInformation("Online evals are off");
            return;
        }

        using var timer = new PeriodicTimer(options.Online.Interval);
        do
        {
            try
            {
                var scored = await evaluator.RunOnceAsync(options.Online, stoppingToken);
                if (scored > 0)
                {
                    ServiceLog.OnlineScored(logger, scored);
                }
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Online eval pass failed; the next pass retries");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

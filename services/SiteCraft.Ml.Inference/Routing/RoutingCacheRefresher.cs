using Npgsql;

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>
/// Keeps <see cref="RoutingCache"/> current: reloads on every ai_routing_changed notification (sent
/// at commit by the trigger on ai_routing_active) and every <see cref="RoutingOptions.RefreshInterval"/>,
/// so a change reaches every replica within about a second and a missed notification heals anyway.
/// </summary>
public sealed partial class RoutingCacheRefresher(
    NpgsqlDataSource dataSource,
    RoutingSnapshotLoader loader,
    RoutingCache cache,
    Microsoft.Extensions.Options.IOptions<RoutingOptions> options,
    ILogger<RoutingCacheRefresher> logger) : BackgroundService
{
    public const string Channel = "ai_routing_changed";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"listen {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Listen first, then load: a change committed in between is caught by the next wait.
                await ReloadAsync(stoppingToken);
                backoff = TimeSpan.FromMilliseconds(250);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(options.Value.RefreshInterval, stoppingToken);
                    // Drain a burst of notifications (a publish touches one row, an overlay many) into one reload.
                    while (await connection.WaitAsync(TimeSpan.FromMilliseconds(20), stoppingToken))
                    {
                    }

                    await ReloadAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException or IOException or FormatException)
            {
                // Requests keep being served from the last snapshot.
                LogRefreshFailed(logger, exception, backoff.TotalMilliseconds);
                await Task.Delay(backoff, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5_000));
            }
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var snapshot = await loader.LoadAsync(cancellationToken);
        var first = !cache.IsLoaded;
        cache.Replace(snapshot);
        if (first)
        {
            LogLoaded(logger, snapshot.Policies.Count, snapshot.Providers.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing loaded: {Policies} active policies, {Providers} provider settings")]
    private static partial void LogLoaded(ILogger logger, int policies, int providers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing refresh failed; serving the cached policies and retrying in {DelayMs} ms")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, double delayMs);
}

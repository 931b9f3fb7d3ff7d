using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace SiteCraft.Ml.AppHost.Postgres;

/// <summary>The server accepts connections on its private Unix socket (trusted, so no password needed yet).</summary>
public sealed class LocalPostgresSocketHealthCheck(LocalPostgresServerResource server) : IHealthCheck
{
    // A starting server accepts connections within a second or so; asking again every 50 ms inside
    // one check makes the database ready that much sooner than waiting for the next health poll.
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(50);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + s_patience;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(await SocketConnectionString(server, "postgres", cancellationToken));
                await connection.OpenAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    return HealthCheckResult.Unhealthy(e.Message, e);
                }
            }

            await Task.Delay(s_retryDelay, cancellationToken);
        }
    }

    public static async Task<string> SocketConnectionString(LocalPostgresServerResource server, string database, CancellationToken cancellationToken)
    {
        // The socket file is named after the port postgres listens on: the endpoint's target port.
        var port = await server.PrimaryEndpoint.Property(EndpointProperty.TargetPort).GetValueAsync(cancellationToken);
        return new NpgsqlConnectionStringBuilder
        {
            Host = server.Layout.SocketDirectory,
            Port = int.Parse(port!, System.Globalization.CultureInfo.InvariantCulture),
            Username = LocalPostgresServerResource.UserName,
            Database = database,
            Timeout = 5,
            Pooling = false,
        }.ConnectionString;
    }
}

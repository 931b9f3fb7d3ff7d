using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace SiteCraft.Ml.AppHost.Postgres;

/// <summary>The server accepts connections on its private Unix socket (trusted, so no password needed yet).</summary>
public sealed class LocalPostgresSocketHealthCheck(LocalPostgresServerResource server) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(await SocketConnectionString(server, "postgres", cancellationToken));
            await connection.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(e.Message, e);
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

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace SiteCraft.Ml.AppHost.Postgres;

/// <summary>Logs in with the connection string consumers get and runs a query.</summary>
public sealed class NpgsqlConnectHealthCheck(Func<CancellationToken, ValueTask<string?>> connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var value = await connectionString(cancellationToken);
            if (string.IsNullOrEmpty(value))
            {
                return HealthCheckResult.Unhealthy("No connection string yet.");
            }

            var builder = new NpgsqlConnectionStringBuilder(value) { Pooling = false, Timeout = 5 };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or ArgumentException)
        {
            return HealthCheckResult.Unhealthy(e.Message, e);
        }
    }
}

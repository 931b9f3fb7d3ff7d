using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SiteCraft.Ml.AppHost.Postgres;

public static class SiteCraftDatabaseExtensions
{
    public const string ServerName = "postgres";
    public const string DatabaseName = "sitecraft";

    /// <summary>
    /// postgres → sitecraft in the mode <c>Postgres:Mode</c> asks for. Every mode gives consumers
    /// the resource "sitecraft" and the same connection string form. On a setup error the reason
    /// goes to stderr and this returns false, so the AppHost exits non-zero with one clear line.
    /// </summary>
    public static bool TryAddSiteCraftDatabase(
        this IDistributedApplicationBuilder builder,
        [NotNullWhen(true)] out IResourceBuilder<IResourceWithConnectionString>? database)
    {
        try
        {
            database = builder.AddSiteCraftDatabase();
            return true;
        }
        catch (PostgresSetupException e)
        {
            Console.Error.WriteLine($"SiteCraft.Ml.AppHost: {e.Message}");
            database = null;
            return false;
        }
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddSiteCraftDatabase(this IDistributedApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var binaries = new Lazy<LocalPostgresBinaries?>(() => LocalPostgresBinaries.Find(config["Postgres:BinDirectory"]));
        var mode = PostgresModeSelector.Select(config[PostgresModeSelector.ModeSetting], new PostgresEnvironment(
            builder.ExecutionContext.IsPublishMode,
            () => ContainerRuntimeProbe.Answers(config["ASPIRE_CONTAINER_RUNTIME"] ?? config["DcpPublisher:ContainerRuntime"], TimeSpan.FromSeconds(5)),
            () => binaries.Value,
            !string.IsNullOrWhiteSpace(config[PostgresModeSelector.ExternalConnectionSetting])));

        return mode switch
        {
            PostgresMode.Container => builder.AddPostgres(ServerName)
                .WithDataVolume("sitecraft-ml-postgres-data")
                .AddDatabase(DatabaseName),
            PostgresMode.Local => AddLocal(builder, binaries.Value!),
            PostgresMode.External => AddExternal(builder),
            _ => throw new PostgresSetupException($"{PostgresModeSelector.ModeSetting} resolved to {mode}, which has no set-up."),
        };
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddLocal(IDistributedApplicationBuilder builder, LocalPostgresBinaries binaries)
    {
        var layout = LocalPostgresLayout.Create(
            builder.Configuration[LocalPostgresLayout.DataDirectorySetting], binaries.MajorVersion, Environment.IsPrivilegedProcess);

        // Fail the start now, not when the server starts, so the message is the last thing printed.
        layout.EnsureUsable(binaries.MajorVersion);
        return builder.AddLocalPostgres(ServerName, binaries, layout).AddDatabase(DatabaseName);
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddExternal(IDistributedApplicationBuilder builder)
    {
        var database = builder.AddConnectionString(DatabaseName);
        var healthKey = $"{DatabaseName}_external_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthKey,
            _ => new NpgsqlConnectHealthCheck(database.Resource.ConnectionStringExpression.GetValueAsync),
            failureStatus: null,
            tags: null));
        return database.WithHealthCheck(healthKey);
    }
}

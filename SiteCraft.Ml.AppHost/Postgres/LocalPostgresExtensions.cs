using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SiteCraft.Ml.AppHost.Postgres;

public static class LocalPostgresExtensions
{
    /// <summary>
    /// The machine's PostgreSQL as an executable resource: initdb on first start, a port free at
    /// start-up (postgres reads PGPORT), password logins over TCP, and the server stops with the AppHost.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder,
        string name,
        LocalPostgresBinaries binaries,
        LocalPostgresLayout layout)
    {
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password");
        var process = LocalPostgresProcess.For(binaries.Postgres, layout);
        var port = FreePort.Find();
        var server = new LocalPostgresServerResource(
            name, process.Command, Path.GetDirectoryName(layout.DataDirectory) ?? layout.DataDirectory, password, layout);

        var healthKey = $"{name}_socket_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthKey, _ => new LocalPostgresSocketHealthCheck(server), failureStatus: null, tags: null));

        return builder.AddResource(server)
            // Not proxied: the server's own port, so the Unix socket name (.s.PGSQL.<port>) is known
            // and connections skip a hop. postgres reads PGPORT as its default port.
            .WithEndpoint(port: port, targetPort: port, name: LocalPostgresServerResource.EndpointName, scheme: "tcp", env: "PGPORT", isProxied: false)
            .WithArgs([
                .. process.Prefix,
                "-D", layout.DataDirectory,
                "-k", layout.SocketDirectory,
                "-c", "listen_addresses=localhost",
                "-c", "unix_socket_permissions=0700",
                "-c", "max_connections=200",
            ])
            .WithHealthCheck(healthKey)
            .OnBeforeResourceStarted((resource, e, ct) => LocalPostgresInitializer.InitializeAsync(resource, binaries, e.Services, ct))
            .OnResourceReady((resource, e, ct) => LocalPostgresInitializer.BootstrapAsync(resource, e.Services, ct))
            .ExcludeFromManifest();
    }

    /// <summary>A database that the server creates once it is up, with a check that logs in the way consumers do.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> server, string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database);

        var healthKey = $"{name}_connect_check";
        server.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthKey,
            _ => new NpgsqlConnectHealthCheck(database.ConnectionStringExpression.GetValueAsync),
            failureStatus: null,
            tags: null));

        return server.ApplicationBuilder.AddResource(database)
            .WithParentRelationship(server)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new(CustomResourceKnownProperties.Source, databaseName ?? name)],
            })
            .WithHealthCheck(healthKey)
            .ExcludeFromManifest();
    }
}

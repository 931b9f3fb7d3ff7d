using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace SiteCraft.Ml.AppHost.Postgres;

public static class DatabaseResetCommand
{
    public const string Name = "reset-database";

    /// <summary>
    /// Development only: a dashboard command on the database that drops it, creates it empty and
    /// runs the migrator again. Not offered for an external server, which this AppHost does not own.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> WithResetCommand(
        this IResourceBuilder<IResourceWithConnectionString> database, IResourceBuilder<ProjectResource> migrator)
    {
        var builder = database.ApplicationBuilder;
        if (!builder.ExecutionContext.IsRunMode || !builder.Environment.IsDevelopment())
        {
            return database;
        }

        (IResourceWithConnectionString Server, string Name)? target = database.Resource switch
        {
            PostgresDatabaseResource container => (container.Parent, container.DatabaseName),
            LocalPostgresDatabaseResource local => (local.Parent, local.DatabaseName),
            _ => null,
        };
        if (target is not { } owned)
        {
            return database;
        }

        return database.WithCommand(
            Name,
            "Reset database",
            async context =>
            {
                var serverConnection = await owned.Server.ConnectionStringExpression.GetValueAsync(context.CancellationToken);
                var connectionString = new NpgsqlConnectionStringBuilder(serverConnection) { Database = "postgres", Pooling = false };
                await using (var connection = new NpgsqlConnection(connectionString.ConnectionString))
                {
                    await connection.OpenAsync(context.CancellationToken);
                    var quoted = LocalPostgresInitializer.QuoteIdentifier(owned.Name);
                    await using (var drop = new NpgsqlCommand($"drop database if exists {quoted} with (force)", connection))
                    {
                        await drop.ExecuteNonQueryAsync(context.CancellationToken);
                    }

                    await using var create = new NpgsqlCommand($"create database {quoted}", connection);
                    await create.ExecuteNonQueryAsync(context.CancellationToken);
                }

                var commands = context.Services.GetRequiredService<ResourceCommandService>();
                var started = await commands.ExecuteCommandAsync(migrator.Resource, KnownResourceCommands.StartCommand, context.CancellationToken);
                return started.Success
                    ? CommandResults.Success()
                    : CommandResults.Failure($"The database was recreated but the migrator did not start: {started.Message}");
            },
            new CommandOptions
            {
                Description = "Drop the database, create it empty and run the migrations again (development only).",
                ConfirmationMessage = $"Drop every table and row in '{owned.Name}' and migrate from scratch?",
                IconName = "ArrowReset",
            });
    }
}

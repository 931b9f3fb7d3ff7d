using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SiteCraft.Ml.AppHost.Postgres;

/// <summary>First-start and every-start work around the local server's process.</summary>
public static class LocalPostgresInitializer
{
    /// <summary>Before the process starts: folders owned by the server's user, and initdb when the folder is new.</summary>
    public static async Task InitializeAsync(
        LocalPostgresServerResource server, LocalPostgresBinaries binaries, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        var layout = server.Layout;
        layout.EnsureUsable(binaries.MajorVersion);

        Directory.CreateDirectory(layout.SocketDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(layout.SocketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await GiveToServerUserAsync(layout, layout.SocketDirectory, cancellationToken);
        if (layout.IsInitialized)
        {
            return;
        }

        Directory.CreateDirectory(layout.DataDirectory);
        await GiveToServerUserAsync(layout, layout.DataDirectory, cancellationToken);

        // The password file lives in the private socket folder for the seconds initdb needs it.
        var passwordFile = Path.Combine(layout.SocketDirectory, "initdb.pw");
        var password = await server.PasswordParameter.GetValueAsync(cancellationToken);
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        await GiveToServerUserAsync(layout, passwordFile, cancellationToken);
        try
        {
            PostgresLog.Initialising(logger, binaries.MajorVersion, layout.DataDirectory);
            var initdb = LocalPostgresProcess.For(binaries.InitDb, layout);
            await RunAsync(
                initdb.Command,
                initdb.Arguments(
                    "-D", layout.DataDirectory,
                    "-U", LocalPostgresServerResource.UserName,
                    "--pwfile", passwordFile,
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "--encoding=UTF8",
                    "--no-locale"),
                Path.GetDirectoryName(layout.DataDirectory)!,
                logger,
                cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>
    /// Once the socket answers: set the password (the parameter may have been regenerated since
    /// initdb), create the databases, then mark them Running so WaitFor(db) can proceed.
    /// </summary>
    public static async Task BootstrapAsync(LocalPostgresServerResource server, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        try
        {
            await using var connection = new NpgsqlConnection(
                await LocalPostgresSocketHealthCheck.SocketConnectionString(server, "postgres", cancellationToken));
            await connection.OpenAsync(cancellationToken);

            var password = await server.PasswordParameter.GetValueAsync(cancellationToken);
            await ExecuteAsync(connection, $"alter role {LocalPostgresServerResource.UserName} password {QuoteLiteral(password!)}", cancellationToken);

            foreach (var database in server.Databases)
            {
                await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection);
                exists.Parameters.AddWithValue(database.DatabaseName);
                if (await exists.ExecuteScalarAsync(cancellationToken) is null)
                {
                    await ExecuteAsync(connection, $"create database {QuoteIdentifier(database.DatabaseName)}", cancellationToken);
                    PostgresLog.CreatedDatabase(logger, database.DatabaseName);
                }

                await notifications.PublishUpdateAsync(database, s => s with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                });
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            PostgresLog.BootstrapFailed(logger, e);
            foreach (var database in server.Databases)
            {
                await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.FailedToStart });
            }
        }
    }

    public static string QuoteLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string QuoteIdentifier(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task GiveToServerUserAsync(LocalPostgresLayout layout, string path, CancellationToken cancellationToken)
    {
        if (layout.RunAsUser is { } user)
        {
            await RunAsync("chown", [$"{user}:", path], "/", logger: null, cancellationToken);
        }
    }

    private static async Task RunAsync(
        string command, IEnumerable<string> arguments, string workingDirectory, ILogger? logger, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        using var process = Process.Start(start) ?? throw new PostgresSetupException($"Could not start {command}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = (await stdout) + (await stderr);
        if (logger is not null)
        {
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                PostgresLog.ToolOutput(logger, line);
            }
        }

        if (process.ExitCode != 0)
        {
            throw new PostgresSetupException($"{Path.GetFileName(command)} {string.Join(' ', start.ArgumentList)} failed with exit code {process.ExitCode}: {output.Trim()}");
        }
    }
}

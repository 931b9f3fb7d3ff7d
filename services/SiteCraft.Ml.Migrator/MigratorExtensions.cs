using Microsoft.Extensions.Options;
using SiteCraft.Ml.Migrator.Migrations;

namespace SiteCraft.Ml.Migrator;

public static class MigratorExtensions
{
    public static IHostApplicationBuilder AddMigrations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MigratorOptions>()
            .Bind(builder.Configuration.GetSection(MigratorOptions.Section))
            .Configure(options => options.Environment = builder.Configuration[MigratorOptions.EnvironmentVariable] ?? options.Environment);

        // Loading the catalog is the validation: an unknown environment or a missing folder stops
        // the start with exit code 2 (MigrationConfigurationException), naming the setting.
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MigratorOptions>>().Value;
            return MigrationCatalog.Load(options.ResolveRoot(), options.Environment);
        });
        builder.Services.AddSingleton<MigrationRunner>();
        return builder;
    }

    /// <summary>Applies the catalog and returns the process exit code: 0 ok, 1 migration refused, 2 configuration.</summary>
    public static async Task<int> RunMigrationsAsync(this IHost host)
    {
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SiteCraft.Ml.Migrator");
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            await host.StartAsync(cancel.Token);
            var catalog = host.Services.GetRequiredService<MigrationCatalog>();
            var runner = host.Services.GetRequiredService<MigrationRunner>();
            var result = await runner.RunAsync(catalog, cancel.Token);
            MigratorLog.Finished(logger, result.Applied.Count, result.AlreadyApplied, catalog.Environment);
            return 0;
        }
        catch (MigrationException e)
        {
            MigratorLog.Refused(logger, e.Message);
            await Console.Error.WriteLineAsync($"migrator: {e.Message}");
            return 1;
        }
        catch (MigrationConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"migrator: {e.Message}");
            return 2;
        }
        finally
        {
            // Flush telemetry so the dashboard shows the migrator's last lines.
            await host.StopAsync(CancellationToken.None);
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using SiteCraft.Ml.Migrator.Migrations;

namespace SiteCraft.Ml.IntegrationTests.Telemetry;

/// <summary>A fresh database on the platform's server with the repo's migrations applied.</summary>
public static class TelemetryDatabase
{
    public static async Task<string> CreateAsync(PlatformFixture platform)
    {
        var connectionString = await TestDatabases.CreateAsync(platform, "telemetry");
        await using var dataSource = MigrationRunner.CreateDataSource(connectionString);
        var catalog = MigrationCatalog.Load(Path.Combine(AppContext.BaseDirectory, "db"), "development");
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).RunAsync(catalog, CancellationToken.None);
        return connectionString;
    }
}

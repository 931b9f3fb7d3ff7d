using Microsoft.Extensions.Logging.Abstractions;
using SiteCraft.Ml.Migrator.Migrations;

namespace SiteCraft.Ml.IntegrationTests;

/// <summary>A fresh database on the platform's server with the repo's migrations applied.</summary>
public static class MigratedDatabase
{
    /// <summary>Creates the database (named <paramref name="prefix"/>_&lt;guid&gt;), migrates it and returns its connection string.</summary>
    public static async Task<string> CreateAsync(PlatformFixture platform, string prefix)
    {
        var connectionString = await TestDatabases.CreateAsync(platform, prefix);
        await using var dataSource = MigrationRunner.CreateDataSource(connectionString);
        var catalog = MigrationCatalog.Load(Path.Combine(AppContext.BaseDirectory, "db"), "development");
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).RunAsync(catalog, CancellationToken.None);
        return connectionString;
    }
}

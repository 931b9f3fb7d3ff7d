using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SiteCraft.Ml.Migrator.Migrations;

namespace SiteCraft.Ml.IntegrationTests;

/// <summary>The migration rules against the real server, each on a fresh database.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class MigratorTests(PlatformFixture platform)
{
    private static readonly string s_repoDb = Path.Combine(AppContext.BaseDirectory, "db");

    [Fact]
    public async Task Running_the_migrator_again_on_the_platform_database_changes_nothing()
    {
        await using var db = await platform.OpenDatabaseAsync();
        var schemaBefore = await TestDatabases.SchemaFingerprintAsync(db);
        var journalBefore = await db.ScalarAsync<long>("select count(*) from sitecraft_schema_migrations");

        var result = await Run(db, MigrationCatalog.Load(s_repoDb, "development"));

        Assert.Empty(result.Applied);
        Assert.Equal(journalBefore, await db.ScalarAsync<long>("select count(*) from sitecraft_schema_migrations"));
        Assert.Equal(schemaBefore, await TestDatabases.SchemaFingerprintAsync(db));
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_is_refused_naming_the_file()
    {
        await using var db = new NpgsqlDataSourceOwner(await TestDatabases.CreateAsync(platform, "tampered"));
        var folder = TestDatabases.CopyOfDbFolder();
        await Run(db, MigrationCatalog.Load(folder, "development"));
        var schemaBefore = await TestDatabases.SchemaFingerprintAsync(db);

        var edited = Path.Combine(folder, "migrations", "0002_evals.sql");
        await File.AppendAllTextAsync(edited, "\ncreate table sneaky (id int);\n");
        var refused = await Assert.ThrowsAsync<MigrationException>(() => Run(db, MigrationCatalog.Load(folder, "development")));

        Assert.Contains("migrations/0002_evals.sql was changed after it was applied", refused.Message, StringComparison.Ordinal);
        Assert.Equal(schemaBefore, await TestDatabases.SchemaFingerprintAsync(db));
    }

    [Fact]
    public async Task A_migration_with_an_sql_error_names_file_and_line_and_leaves_the_database_unchanged()
    {
        await using var db = new NpgsqlDataSourceOwner(await TestDatabases.CreateAsync(platform, "broken"));
        var folder = Directory.CreateTempSubdirectory("sitecraft-broken-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "migrations"));
        await File.WriteAllTextAsync(Path.Combine(folder, "migrations", "0001_fine.sql"), "create table fine (id int);\n");
        await File.WriteAllTextAsync(
            Path.Combine(folder, "migrations", "0002_broken.sql"),
            "-- a comment\ncreate table also_fine (id int);\ncreate tabel broken (id int);\n");

        var refused = await Assert.ThrowsAsync<MigrationException>(() => Run(db, MigrationCatalog.Load(folder, "development")));

        Assert.StartsWith("migrations/0002_broken.sql:3:8: syntax error at or near \"tabel\"", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from information_schema.tables where table_schema = 'public'"));
    }

    [Fact]
    public async Task Two_migrators_at_once_apply_each_script_exactly_once()
    {
        await using var db = new NpgsqlDataSourceOwner(await TestDatabases.CreateAsync(platform, "racing"));
        var catalog = MigrationCatalog.Load(s_repoDb, "development");

        var results = await Task.WhenAll(Run(db, catalog), Run(db, catalog));

        Assert.Equal(catalog.Scripts.Count, results.Sum(r => r.Applied.Count));
        Assert.Contains(results, r => r.Applied.Count == 0);
        Assert.Equal(
            (long)catalog.Scripts.Count,
            await db.ScalarAsync<long>("select count(distinct (scope, version)) from sitecraft_schema_migrations"));
    }

    [Fact]
    public async Task Single_db_holds_staging_and_prod_routing_side_by_side()
    {
        await using var db = new NpgsqlDataSourceOwner(await TestDatabases.CreateAsync(platform, "singledb"));

        await Run(db, MigrationCatalog.Load(s_repoDb, "single_db"));

        var environments = await db.StringsAsync("select distinct environment from ai_routing_active order by 1");
        Assert.Equal(["prod", "staging"], environments);
        Assert.Equal(6L, await db.ScalarAsync<long>("select count(*) from ai_routing_active"));
    }

    [Fact]
    public async Task Migrator_process_exits_non_zero_with_the_file_and_line_on_stderr()
    {
        var connectionString = await TestDatabases.CreateAsync(platform, "process");
        var folder = Directory.CreateTempSubdirectory("sitecraft-process-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "migrations"));
        await File.WriteAllTextAsync(Path.Combine(folder, "migrations", "0001_broken.sql"), "select 1;\nselect * from nowhere;\n");

        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "SiteCraft.Ml.Migrator.dll")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment =
            {
                ["ConnectionStrings__sitecraft"] = connectionString,
                ["Migrations__Root"] = folder,
                ["SITECRAFT_ENVIRONMENT"] = "development",
            },
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("migrations/0001_broken.sql:2:15: relation \"nowhere\" does not exist", await stderr, StringComparison.Ordinal);
    }

    private static Task<MigrationResult> Run(NpgsqlDataSourceOwner db, MigrationCatalog catalog) =>
        new MigrationRunner(db.MigratorDataSource, NullLogger<MigrationRunner>.Instance).RunAsync(catalog, CancellationToken.None);
}

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
    public async Task Staging_and_prod_are_seeded_alike_and_development_routes_to_the_local_model()
    {
        await using var db = new NpgsqlDataSourceOwner(await TestDatabases.CreateAsync(platform, "seeded"));
        var folder = TestDatabases.CopyOfDbFolder();

        await Run(db, MigrationCatalog.Load(folder, "single_db"));
        await Run(db, MigrationCatalog.Load(folder, "development"));

        const string Seed = """
            select p.use_case || ' ' || p.arms::text || ' ' || p.fallback::text || ' ' || p.settings::text
            from ai_routing_active a join ai_routing_policies p on p.policy_id = a.policy_id
            where a.environment = $1 order by p.use_case
            """;
        var staging = await db.StringsAsync(Seed, "staging");
        Assert.Equal(3, staging.Count);
        Assert.Equal(staging, await db.StringsAsync(Seed, "prod"));
        Assert.All(staging, row => Assert.Contains("\"gpt-4o-mini\"", row, StringComparison.Ordinal));
        Assert.All(await db.StringsAsync(Seed, "development"), row => Assert.Contains("\"sitecraft-local\"", row, StringComparison.Ordinal));
        Assert.Equal(["overlay/common", "overlay/development", "overlay/prod", "overlay/staging"],
            await db.StringsAsync("select distinct scope from sitecraft_schema_migrations where scope like 'overlay/%' order by 1"));
    }

    [Fact]
    public async Task An_overlay_edited_after_it_was_applied_is_applied_again_without_duplicating_rows()
    {
        await using var db = new NpgsqlDataSourceOwner(await TestDatabases.CreateAsync(platform, "reseed"));
        var folder = TestDatabases.CopyOfDbFolder();
        await Run(db, MigrationCatalog.Load(folder, "prod"));
        var policies = await db.ScalarAsync<long>("select count(*) from ai_routing_policies");

        var overlay = Path.Combine(folder, "overlays", "environment", "0001_providers_and_routing.sql");
        await File.AppendAllTextAsync(overlay, "\n-- a note added later\n");
        var again = await Run(db, MigrationCatalog.Load(folder, "prod"));

        Assert.Equal(["overlay/prod"], again.Applied.Select(s => s.Scope));
        Assert.Equal(policies, await db.ScalarAsync<long>("select count(*) from ai_routing_policies"));
        Assert.Equal(
            MigrationScript.ComputeChecksum(await File.ReadAllTextAsync(overlay)),
            await db.ScalarAsync<string>("select checksum from sitecraft_schema_migrations where scope = 'overlay/prod' and version = 1"));
        Assert.Empty((await Run(db, MigrationCatalog.Load(folder, "prod"))).Applied);
    }

    [Fact]
    public async Task An_sql_error_in_the_environment_overlay_names_its_file_and_line()
    {
        await using var db = new NpgsqlDataSourceOwner(await TestDatabases.CreateAsync(platform, "badoverlay"));
        var folder = Directory.CreateTempSubdirectory("sitecraft-badoverlay-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "migrations"));
        Directory.CreateDirectory(Path.Combine(folder, "overlays", "environment"));
        await File.WriteAllTextAsync(Path.Combine(folder, "migrations", "0001_fine.sql"), "create table fine (environment text);\n");
        await File.WriteAllTextAsync(
            Path.Combine(folder, "overlays", "environment", "0001_seed.sql"),
            "insert into fine values (current_setting('sitecraft.environment'));\nselect * from nowhere;\n");

        var refused = await Assert.ThrowsAsync<MigrationException>(() => Run(db, MigrationCatalog.Load(folder, "staging")));

        Assert.StartsWith("overlays/environment/0001_seed.sql:2:15: relation \"nowhere\" does not exist", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from information_schema.tables where table_schema = 'public'"));
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

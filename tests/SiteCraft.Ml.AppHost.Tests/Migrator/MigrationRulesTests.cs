using SiteCraft.Ml.Migrator.Migrations;

namespace SiteCraft.Ml.AppHost.Tests.Migrator;

public sealed class MigrationRulesTests
{
    private static MigrationScript Script(int version, string sql, string scope = "schema") =>
        new(scope, version, $"step{version}", $"migrations/{version:D4}_step{version}.sql", sql);

    private static JournalEntry Applied(MigrationScript script) => new(script.Scope, script.Version, script.Name, script.Checksum);

    [Fact]
    public void Pending_is_every_script_not_in_the_journal_in_order()
    {
        var one = Script(1, "select 1;");
        var two = Script(2, "select 2;");
        var overlay = Script(1, "select 3;", "overlay/development");
        var catalog = new MigrationCatalog("development", [one, two, overlay]);

        var pending = MigrationPlanner.Pending(catalog, [Applied(one)]);

        Assert.Equal([two, overlay], pending);
    }

    [Fact]
    public void Nothing_is_pending_when_everything_was_applied()
    {
        var one = Script(1, "select 1;");
        var catalog = new MigrationCatalog("development", [one]);

        Assert.Empty(MigrationPlanner.Pending(catalog, [Applied(one)]));
    }

    [Fact]
    public void An_applied_script_whose_text_changed_stops_the_run_naming_the_file()
    {
        var original = Script(1, "create table a (id int);");
        var edited = Script(1, "create table a (id bigint);");
        var catalog = new MigrationCatalog("development", [edited, Script(2, "select 2;")]);

        var error = Assert.Throws<MigrationException>(() => MigrationPlanner.Pending(catalog, [Applied(original)]));

        Assert.StartsWith("migrations/0001_step1.sql was changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlay_whose_text_changed_is_applied_again_instead_of_refused()
    {
        var original = Script(1, "insert into t values (1) on conflict do nothing;", "overlay/prod");
        var edited = Script(1, "insert into t values (1), (2) on conflict do nothing;", "overlay/prod");
        var catalog = new MigrationCatalog("prod", [Script(1, "select 1;"), edited]);

        var pending = MigrationPlanner.Pending(catalog, [Applied(Script(1, "select 1;")), Applied(original)]);

        Assert.Equal([edited], pending);
    }

    [Fact]
    public void An_applied_schema_migration_missing_from_the_folder_stops_the_run()
    {
        var catalog = new MigrationCatalog("development", [Script(1, "select 1;")]);

        var error = Assert.Throws<MigrationException>(() =>
            MigrationPlanner.Pending(catalog, [Applied(Script(1, "select 1;")), new JournalEntry("schema", 2, "gone", "abc")]));

        Assert.Contains("0002_gone.sql was applied to this database but is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlay_rows_of_another_environment_are_left_alone()
    {
        var catalog = new MigrationCatalog("staging", [Script(1, "select 1;")]);

        var pending = MigrationPlanner.Pending(catalog, [Applied(Script(1, "select 1;")), new JournalEntry("overlay/development", 1, "seed", "abc")]);

        Assert.Empty(pending);
    }

    [Fact]
    public void Checksums_ignore_line_ending_style_but_not_content()
    {
        Assert.Equal(MigrationScript.ComputeChecksum("a\nb\n"), MigrationScript.ComputeChecksum("a\r\nb\r\n"));
        Assert.NotEqual(MigrationScript.ComputeChecksum("a\nb\n"), MigrationScript.ComputeChecksum("a\nc\n"));
    }

    [Fact]
    public void Single_db_seeds_staging_then_prod_and_an_unknown_environment_is_refused()
    {
        Assert.Equal(["staging", "prod"], OverlayFolders.Seeded("single_db"));
        Assert.Equal(["prod"], OverlayFolders.Seeded("prod"));
        Assert.Throws<MigrationConfigurationException>(() => OverlayFolders.Seeded("production"));
    }

    [Fact]
    public void Catalog_reads_numbered_files_in_order_then_common_then_the_environment_overlay_once_per_seeded_environment()
    {
        var root = Directory.CreateTempSubdirectory("catalog-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "migrations"));
        Directory.CreateDirectory(Path.Combine(root, "overlays", "common"));
        Directory.CreateDirectory(Path.Combine(root, "overlays", "environment"));
        File.WriteAllText(Path.Combine(root, "migrations", "0010_later.sql"), "select 10;");
        File.WriteAllText(Path.Combine(root, "migrations", "0002_first.sql"), "select 2;");
        File.WriteAllText(Path.Combine(root, "overlays", "common", "0001_catalog.sql"), "select 0;");
        File.WriteAllText(Path.Combine(root, "overlays", "environment", "0001_seed.sql"), "select 1;");

        var catalog = MigrationCatalog.Load(root, "single_db");

        Assert.Equal(
            ["migrations/0002_first.sql", "migrations/0010_later.sql", "overlays/common/0001_catalog.sql", "overlays/environment/0001_seed.sql", "overlays/environment/0001_seed.sql"],
            catalog.Scripts.Select(s => s.RelativePath));
        Assert.Equal(["schema", "schema", "overlay/common", "overlay/staging", "overlay/prod"], catalog.Scripts.Select(s => s.Scope));
        Assert.Equal([null, null, null, "staging", "prod"], catalog.Scripts.Select(s => s.Environment));
    }

    [Theory]
    [InlineData("1_short.sql")]
    [InlineData("0003-dash.sql")]
    [InlineData("0003_Upper.sql")]
    public void A_badly_named_sql_file_is_refused_naming_it(string fileName)
    {
        var root = Directory.CreateTempSubdirectory("badname-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "migrations"));
        File.WriteAllText(Path.Combine(root, "migrations", fileName), "select 1;");

        var error = Assert.Throws<MigrationConfigurationException>(() => MigrationCatalog.Load(root, "development"));

        Assert.StartsWith($"migrations/{fileName}: a migration file is named NNNN_lower_snake_name.sql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_without_a_migrations_folder_names_the_setting()
    {
        var root = Directory.CreateTempSubdirectory("noroot-").FullName;

        var error = Assert.Throws<MigrationConfigurationException>(() => MigrationCatalog.Load(root, "development"));

        Assert.Equal($"Migrations:Root '{root}' has no migrations/ folder.", error.Message);
    }

    [Fact]
    public void Two_files_with_one_number_are_refused()
    {
        var root = Directory.CreateTempSubdirectory("dupe-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "migrations"));
        File.WriteAllText(Path.Combine(root, "migrations", "0001_a.sql"), "select 1;");
        File.WriteAllText(Path.Combine(root, "migrations", "0001_b.sql"), "select 1;");

        var error = Assert.Throws<MigrationConfigurationException>(() => MigrationCatalog.Load(root, "development"));

        Assert.Contains("version 0001 is also used by", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_repository_migrations_load_for_every_environment()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "db");

        foreach (var environment in OverlayFolders.Environments)
        {
            var catalog = MigrationCatalog.Load(root, environment);
            Assert.Contains(catalog.Scripts, s => s.Scope == "schema");
            Assert.Contains(catalog.Scripts, s => s.Scope.StartsWith("overlay/", StringComparison.Ordinal));
        }
    }
}

using Npgsql;

namespace SiteCraft.Ml.IntegrationTests;

/// <summary>Fresh, empty databases on the platform's server, one per test that needs a clean slate.</summary>
public static class TestDatabases
{
    public static async Task<string> CreateAsync(PlatformFixture platform, string prefix)
    {
        var server = await platform.ConnectionStringAsync("postgres");
        var name = $"{prefix}_{Guid.NewGuid():N}";
        // Unpooled: a test that restarts Postgres leaves dead connections in the pool behind it.
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>A copy of the repo's db/ folder (shipped beside the migrator) that a test may edit.</summary>
    public static string CopyOfDbFolder()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "db");
        var target = Path.Combine(Path.GetTempPath(), $"sitecraft-db-{Guid.NewGuid():N}");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    /// <summary>Tables and views in public, with their column lists: equal fingerprints mean an unchanged schema.</summary>
    public static async Task<string> SchemaFingerprintAsync(NpgsqlDataSourceOwner db)
    {
        var rows = await db.StringsAsync(
            "select table_name || '(' || string_agg(column_name || ' ' || data_type, ',' order by ordinal_position) || ')' "
            + "from information_schema.columns where table_schema = 'public' group by table_name order by table_name");
        return string.Join('\n', rows);
    }
}

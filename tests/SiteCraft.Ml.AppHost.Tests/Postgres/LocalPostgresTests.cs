using SiteCraft.Ml.AppHost.Postgres;

namespace SiteCraft.Ml.AppHost.Tests.Postgres;

public sealed class LocalPostgresTests
{
    [Theory]
    [InlineData("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", 15)]
    [InlineData("postgres (PostgreSQL) 17.2", 17)]
    [InlineData("postgres (PostgreSQL) 9.6.24", 9)]
    public void Major_version_is_read_from_postgres_version_output(string output, int major)
    {
        Assert.Equal(major, LocalPostgresBinaries.ParseMajorVersion(output));
    }

    [Fact]
    public void A_configured_bin_folder_without_postgres_finds_nothing()
    {
        Assert.Null(LocalPostgresBinaries.Find("/nonexistent/postgres/bin"));
    }

    [Fact]
    public void Root_keeps_data_where_the_postgres_user_can_write_and_others_under_their_home()
    {
        Assert.Equal("/var/lib/sitecraft-ml/postgres-15", LocalPostgresLayout.DefaultDataDirectory(15, isRoot: true));
        Assert.EndsWith(Path.Combine("sitecraft-ml", "postgres-16"), LocalPostgresLayout.DefaultDataDirectory(16, isRoot: false), StringComparison.Ordinal);
        Assert.Equal("postgres", LocalPostgresLayout.Create("/tmp/x", 15, isRoot: true).RunAsUser);
        Assert.Null(LocalPostgresLayout.Create("/tmp/x", 15, isRoot: false).RunAsUser);
    }

    [Fact]
    public void Socket_folder_path_stays_short_enough_for_a_unix_socket()
    {
        var layout = LocalPostgresLayout.Create("/" + new string('d', 200), 15, isRoot: false);

        // sun_path holds 107 bytes; the socket file name adds "/.s.PGSQL.65535".
        Assert.True(layout.SocketDirectory.Length + "/.s.PGSQL.65535".Length < 107, layout.SocketDirectory);
    }

    [Fact]
    public void An_empty_or_missing_data_folder_is_usable()
    {
        var empty = Directory.CreateTempSubdirectory("pg-empty-").FullName;

        LocalPostgresLayout.Create(empty, 15, isRoot: false).EnsureUsable(15);
        LocalPostgresLayout.Create(Path.Combine(empty, "missing"), 15, isRoot: false).EnsureUsable(15);
    }

    [Fact]
    public void A_folder_with_files_but_no_cluster_is_refused_with_the_folder_and_the_reset_command()
    {
        var folder = Directory.CreateTempSubdirectory("pg-junk-").FullName;
        File.WriteAllText(Path.Combine(folder, "photo.jpg"), "");

        var error = Assert.Throws<PostgresSetupException>(() => LocalPostgresLayout.Create(folder, 15, isRoot: false).EnsureUsable(15));

        Assert.Contains($"'{folder}' is not empty and is not a PostgreSQL data folder", error.Message, StringComparison.Ordinal);
        Assert.Contains($"rm -rf '{folder}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cluster_of_another_major_version_is_refused_naming_both_versions()
    {
        var folder = Directory.CreateTempSubdirectory("pg-old-").FullName;
        File.WriteAllText(Path.Combine(folder, "PG_VERSION"), "14\n");

        var error = Assert.Throws<PostgresSetupException>(() => LocalPostgresLayout.Create(folder, 15, isRoot: false).EnsureUsable(15));

        Assert.Contains("made by PostgreSQL 14, but the binaries found are PostgreSQL 15", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Literals_and_identifiers_are_quoted_for_sql()
    {
        Assert.Equal("'it''s'", LocalPostgresInitializer.QuoteLiteral("it's"));
        Assert.Equal("\"odd\"\"name\"", LocalPostgresInitializer.QuoteIdentifier("odd\"name"));
    }
}

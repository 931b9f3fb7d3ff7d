namespace SiteCraft.Ml.IntegrationTests;

/// <summary>Set-up mistakes stop the AppHost at once with one line that says what to change.</summary>
public sealed class AppHostStartupErrorTests
{
    [Fact]
    public async Task An_invalid_postgres_mode_names_the_setting_and_the_allowed_values()
    {
        var outcome = await AppHostProcess.RunAsync(["--Postgres:Mode=sqlite"]);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains(
            "Postgres:Mode is 'sqlite'; allowed values: auto, container, local, external.", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_container_runtime_or_postgres_binaries_the_start_says_to_install_one()
    {
        var outcome = await AppHostProcess.RunAsync(
            ["--Postgres:Mode=auto", "--Postgres:BinDirectory=/nonexistent/postgres/bin"],
            new Dictionary<string, string> { ["ASPIRE_CONTAINER_RUNTIME"] = "sitecraft-no-such-runtime" });

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("Install Docker (or Podman), or install PostgreSQL 14 or newer", outcome.StandardError, StringComparison.Ordinal);
        Assert.Single(outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_data_folder_that_is_not_a_postgres_cluster_is_named_with_the_reset_command()
    {
        var folder = Directory.CreateTempSubdirectory("sitecraft-notpg-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a database");

        var outcome = await AppHostProcess.RunAsync(["--Postgres:Mode=local", $"--Postgres:DataDirectory={folder}"]);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains($"Postgres:DataDirectory '{folder}' is not empty and is not a PostgreSQL data folder", outcome.StandardError, StringComparison.Ordinal);
        Assert.Contains($"rm -rf '{folder}'", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task External_mode_without_a_connection_string_names_the_setting()
    {
        var outcome = await AppHostProcess.RunAsync(["--Postgres:Mode=external"]);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("needs a connection string in ConnectionStrings:sitecraft", outcome.StandardError, StringComparison.Ordinal);
    }
}

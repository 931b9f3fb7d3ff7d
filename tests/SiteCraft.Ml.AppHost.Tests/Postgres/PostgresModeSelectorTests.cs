using SiteCraft.Ml.AppHost.Postgres;

namespace SiteCraft.Ml.AppHost.Tests.Postgres;

public sealed class PostgresModeSelectorTests
{
    private static readonly LocalPostgresBinaries s_pg15 = new("/usr/lib/postgresql/15/bin", 15);

    private static PostgresEnvironment Machine(bool docker = false, bool binaries = false, bool external = false, bool publish = false) =>
        new(publish, () => docker, () => binaries ? s_pg15 : null, external);

    [Fact]
    public void Auto_takes_the_container_when_a_runtime_answers()
    {
        Assert.Equal(PostgresMode.Container, PostgresModeSelector.Select("auto", Machine(docker: true, binaries: true)));
    }

    [Fact]
    public void Auto_takes_local_binaries_when_no_runtime_answers()
    {
        Assert.Equal(PostgresMode.Local, PostgresModeSelector.Select(null, Machine(binaries: true)));
    }

    [Fact]
    public void Auto_fails_with_one_message_naming_both_installs_when_neither_exists()
    {
        var error = Assert.Throws<PostgresSetupException>(() => PostgresModeSelector.Select("auto", Machine()));

        Assert.Contains("Install Docker (or Podman), or install PostgreSQL 14 or newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_in_publish_mode_is_the_container_without_probing()
    {
        var environment = new PostgresEnvironment(
            IsPublishMode: true,
            () => throw new InvalidOperationException("must not probe"),
            () => throw new InvalidOperationException("must not probe"),
            HasExternalConnectionString: false);

        Assert.Equal(PostgresMode.Container, PostgresModeSelector.Select("auto", environment));
    }

    [Fact]
    public void Explicit_modes_do_not_probe_the_container_runtime()
    {
        var environment = new PostgresEnvironment(false, () => throw new InvalidOperationException("must not probe"), () => s_pg15, true);

        Assert.Equal(PostgresMode.Local, PostgresModeSelector.Select("local", environment));
        Assert.Equal(PostgresMode.External, PostgresModeSelector.Select("External", environment));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("5")]
    [InlineData("docker")]
    public void An_invalid_mode_names_the_setting_and_the_allowed_values(string configured)
    {
        var error = Assert.Throws<PostgresSetupException>(() => PostgresModeSelector.Select(configured, Machine(docker: true)));

        Assert.Equal($"Postgres:Mode is '{configured}'; allowed values: auto, container, local, external.", error.Message);
    }

    [Fact]
    public void Local_without_binaries_says_how_to_install_or_point_at_them()
    {
        var error = Assert.Throws<PostgresSetupException>(() => PostgresModeSelector.Select("local", Machine(docker: true)));

        Assert.Contains("Postgres:BinDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_cannot_be_published()
    {
        Assert.Throws<PostgresSetupException>(() => PostgresModeSelector.Select("local", Machine(binaries: true, publish: true)));
    }

    [Fact]
    public void External_needs_the_connection_string_setting()
    {
        var error = Assert.Throws<PostgresSetupException>(() => PostgresModeSelector.Select("external", Machine()));

        Assert.Contains("ConnectionStrings:sitecraft", error.Message, StringComparison.Ordinal);
        Assert.Equal(PostgresMode.External, PostgresModeSelector.Select("external", Machine(external: true)));
    }
}

namespace SiteCraft.Ml.AppHost.Postgres;

/// <summary>What the AppHost knows when it picks a mode; probes are lazy so an explicit mode costs nothing.</summary>
public sealed record PostgresEnvironment(
    bool IsPublishMode,
    Func<bool> ContainerRuntimeAnswers,
    Func<LocalPostgresBinaries?> FindLocalBinaries,
    bool HasExternalConnectionString);

/// <summary>Turns <c>Postgres:Mode</c> into a mode, with one clear message when that cannot work.</summary>
public static class PostgresModeSelector
{
    public const string ModeSetting = "Postgres:Mode";
    public const string ExternalConnectionSetting = "ConnectionStrings:sitecraft";

    public static string AllowedValues { get; } = string.Join(", ", Enum.GetNames<PostgresMode>().Select(n => n.ToLowerInvariant()));

    public static PostgresMode Parse(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return PostgresMode.Auto;
        }

        return Enum.TryParse<PostgresMode>(configured.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            && !int.TryParse(configured, out _)
            ? mode
            : throw new PostgresSetupException($"{ModeSetting} is '{configured}'; allowed values: {AllowedValues}.");
    }

    public static PostgresMode Select(string? configured, PostgresEnvironment environment)
    {
        var mode = Parse(configured);
        return mode switch
        {
            PostgresMode.Auto when environment.IsPublishMode => PostgresMode.Container,
            PostgresMode.Auto when environment.ContainerRuntimeAnswers() => PostgresMode.Container,
            PostgresMode.Auto when environment.FindLocalBinaries() is not null => PostgresMode.Local,
            PostgresMode.Auto => throw new PostgresSetupException(
                "No database available: no container runtime answered (docker info) and no PostgreSQL 14+ binaries were found. "
                + "Install Docker (or Podman), or install PostgreSQL 14 or newer (Debian/Ubuntu: sudo apt-get install postgresql), "
                + $"or point {ExternalConnectionSetting} at a server and set {ModeSetting}=external."),
            PostgresMode.Local when environment.IsPublishMode => throw new PostgresSetupException(
                $"{ModeSetting}=local runs the machine's binaries and cannot be published; use container or external."),
            PostgresMode.Local when environment.FindLocalBinaries() is null => throw new PostgresSetupException(
                $"{ModeSetting}=local but no PostgreSQL 14+ binaries were found. Install PostgreSQL (Debian/Ubuntu: "
                + "sudo apt-get install postgresql) or set Postgres:BinDirectory to the folder holding postgres and initdb."),
            PostgresMode.External when !environment.HasExternalConnectionString => throw new PostgresSetupException(
                $"{ModeSetting}=external needs a connection string in {ExternalConnectionSetting} "
                + "(appsettings, environment ConnectionStrings__sitecraft, or: dotnet user-secrets set ConnectionStrings:sitecraft \"Host=...\")."),
            _ => mode,
        };
    }
}

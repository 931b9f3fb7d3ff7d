using System.Security.Cryptography;
using System.Text;

namespace SiteCraft.Ml.AppHost.Postgres;

/// <summary>Where the local server keeps its files, and whom it runs as.</summary>
/// <param name="DataDirectory">PGDATA: persists across runs.</param>
/// <param name="SocketDirectory">Unix socket folder, private to the server's user; short, since socket paths max out near 107 bytes.</param>
/// <param name="RunAsUser">The unprivileged OS user to switch to when the AppHost runs as root, else null.</param>
public sealed record LocalPostgresLayout(string DataDirectory, string SocketDirectory, string? RunAsUser)
{
    public const string DataDirectorySetting = "Postgres:DataDirectory";

    public static LocalPostgresLayout Create(string? configuredDataDirectory, int majorVersion, bool isRoot)
    {
        var data = Path.GetFullPath(string.IsNullOrWhiteSpace(configuredDataDirectory)
            ? DefaultDataDirectory(majorVersion, isRoot)
            : configuredDataDirectory);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(data)))[..10];
        var sockets = Path.Combine(Path.GetTempPath(), $"sitecraft-pg-{hash}");
        return new LocalPostgresLayout(data, sockets, isRoot ? "postgres" : null);
    }

    /// <summary>
    /// Root: /var/lib (the postgres user cannot enter /root). Others: the XDG data folder.
    /// The major version is in the name because a data folder only opens with its own major.
    /// </summary>
    public static string DefaultDataDirectory(int majorVersion, bool isRoot) => isRoot
        ? $"/var/lib/sitecraft-ml/postgres-{majorVersion}"
        : Path.Combine(
            Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"),
            "sitecraft-ml",
            $"postgres-{majorVersion}");

    /// <summary>
    /// Refuses a folder that has files but is not a PostgreSQL cluster of this major version,
    /// before anything starts. An empty or missing folder is fine: initdb fills it.
    /// </summary>
    public void EnsureUsable(int majorVersion)
    {
        if (!Directory.Exists(DataDirectory) || !Directory.EnumerateFileSystemEntries(DataDirectory).Any())
        {
            return;
        }

        var versionFile = Path.Combine(DataDirectory, "PG_VERSION");
        if (!File.Exists(versionFile))
        {
            throw new PostgresSetupException(
                $"{DataDirectorySetting} '{DataDirectory}' is not empty and is not a PostgreSQL data folder (no PG_VERSION). "
                + $"Point {DataDirectorySetting} at another folder, or remove it to start fresh: rm -rf '{DataDirectory}'");
        }

        var found = File.ReadAllText(versionFile).Trim();
        if (found != majorVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new PostgresSetupException(
                $"{DataDirectorySetting} '{DataDirectory}' was made by PostgreSQL {found}, but the binaries found are PostgreSQL {majorVersion}. "
                + $"Set Postgres:BinDirectory to PostgreSQL {found}'s bin folder, or remove the folder to start fresh: rm -rf '{DataDirectory}'");
        }
    }

    public bool IsInitialized => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));
}

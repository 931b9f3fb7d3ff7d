namespace SiteCraft.Ml.AppHost.Postgres;

/// <summary>
/// How to start a PostgreSQL program as the right user. postgres and initdb refuse to run as
/// root, so as root they run through setpriv as the unprivileged user (setpriv execs, so the
/// process DCP watches and stops is postgres itself).
/// </summary>
public sealed record LocalPostgresProcess(string Command, IReadOnlyList<string> Prefix)
{
    private static readonly string[] s_setprivLocations = ["/usr/bin/setpriv", "/bin/setpriv"];

    public static LocalPostgresProcess For(string program, LocalPostgresLayout layout)
    {
        if (layout.RunAsUser is not { } user)
        {
            return new LocalPostgresProcess(program, []);
        }

        var setpriv = s_setprivLocations.FirstOrDefault(File.Exists)
            ?? throw new PostgresSetupException(
                "The AppHost runs as root, and PostgreSQL must run as an unprivileged user, but setpriv (util-linux) was not found. "
                + "Run the AppHost as a normal user, or install util-linux.");
        return new LocalPostgresProcess(setpriv, [$"--reuid={user}", $"--regid={user}", "--init-groups", "--", program]);
    }

    public IEnumerable<string> Arguments(params string[] programArguments) => [.. Prefix, .. programArguments];
}

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SiteCraft.Ml.AppHost.Postgres;

/// <summary>A folder with the postgres and initdb programs, and their major version.</summary>
public sealed partial record LocalPostgresBinaries(string BinDirectory, int MajorVersion)
{
    public const int MinimumMajorVersion = 14;

    private static readonly string s_exe = OperatingSystem.IsWindows() ? ".exe" : "";

    public string Postgres => Path.Combine(BinDirectory, "postgres" + s_exe);

    public string InitDb => Path.Combine(BinDirectory, "initdb" + s_exe);

    /// <summary>The configured folder when set, else the newest 14+ install in the usual places or on PATH.</summary>
    public static LocalPostgresBinaries? Find(string? configuredBinDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configuredBinDirectory))
        {
            return TryFolder(configuredBinDirectory);
        }

        return CandidateFolders()
            .Distinct(StringComparer.Ordinal)
            .Select(TryFolder)
            .OfType<LocalPostgresBinaries>()
            .OrderByDescending(b => b.MajorVersion)
            .FirstOrDefault();
    }

    /// <summary>Reads "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" as 15.</summary>
    public static int? ParseMajorVersion(string versionOutput)
    {
        var match = VersionPattern().Match(versionOutput);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static LocalPostgresBinaries? TryFolder(string folder)
    {
        var postgres = Path.Combine(folder, "postgres" + s_exe);
        if (!File.Exists(postgres) || !File.Exists(Path.Combine(folder, "initdb" + s_exe)))
        {
            return null;
        }

        var major = ParseMajorVersion(RunForOutput(postgres, "--version"));
        return major >= MinimumMajorVersion ? new LocalPostgresBinaries(folder, major.Value) : null;
    }

    private static IEnumerable<string> CandidateFolders()
    {
        foreach (var root in new[] { "/usr/lib/postgresql", "/opt/homebrew/opt", "/usr/local/opt", "/Applications/Postgres.app/Contents/Versions" })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var child in Directory.EnumerateDirectories(root))
            {
                yield return Path.Combine(child, "bin");
            }
        }

        foreach (var rhel in SafeEnumerate("/usr", "pgsql-*"))
        {
            yield return Path.Combine(rhel, "bin");
        }

        yield return "/usr/local/pgsql/bin";

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            // Debian links initdb into /usr/local/bin; follow the link to the folder that has postgres too.
            var initdb = new FileInfo(Path.Combine(folder, "initdb" + s_exe));
            var target = initdb.Exists ? initdb.ResolveLinkTarget(returnFinalTarget: true) : null;
            yield return target is null ? folder : Path.GetDirectoryName(target.FullName) ?? folder;
        }
    }

    private static IEnumerable<string> SafeEnumerate(string root, string pattern) =>
        Directory.Exists(root) ? Directory.EnumerateDirectories(root, pattern) : [];

    private static string RunForOutput(string program, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return "";
            }

            var output = process.StandardOutput.ReadToEnd();
            return process.WaitForExit(5_000) ? output : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}

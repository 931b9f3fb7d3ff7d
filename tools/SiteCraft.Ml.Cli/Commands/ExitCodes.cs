namespace SiteCraft.Ml.Cli.Commands;

/// <summary>What every sitecraft-ml command exits with, so CI scripts can tell a finding from a mistake.</summary>
public static class ExitCodes
{
    /// <summary>Done, and nothing was found wrong.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and found something wrong: records breaking their contract, a gate that failed.</summary>
    public const int Findings = 1;

    /// <summary>The command could not run as asked: an unknown option, a missing file, an unknown contract, a bad contract folder.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}

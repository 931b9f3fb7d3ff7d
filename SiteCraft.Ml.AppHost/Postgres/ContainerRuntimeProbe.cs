using System.Diagnostics;

namespace SiteCraft.Ml.AppHost.Postgres;

/// <summary>
/// Does a container runtime answer? Aspire's own check only runs after Build(), too late to
/// choose the database, so ask the runtime's CLI directly (it fails within ~0.1 s without a daemon).
/// </summary>
public static class ContainerRuntimeProbe
{
    public static bool Answers(string? configuredRuntime, TimeSpan timeout)
    {
        var runtime = string.IsNullOrWhiteSpace(configuredRuntime) ? "docker" : configuredRuntime.Trim();
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{json .}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The CLI is not installed.
            return false;
        }
    }
}

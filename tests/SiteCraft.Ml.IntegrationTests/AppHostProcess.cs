using System.Diagnostics;

namespace SiteCraft.Ml.IntegrationTests;

/// <summary>Runs the built AppHost as a separate process, the way `dotnet run` would, and captures what it prints.</summary>
public static class AppHostProcess
{
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    public static Task<Outcome> RunAsync(string[] arguments, IDictionary<string, string>? environment = null) =>
        RunDllAsync(Path.Combine(AppContext.BaseDirectory, "SiteCraft.Ml.AppHost.dll"), arguments, environment);

    /// <summary>Runs any built program (e.g. a service's dll) the same way.</summary>
    public static async Task<Outcome> RunDllAsync(string dll, string[] arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", [dll, .. arguments])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(dll)} did not exit within 90 s. Output so far:\n{await stdout}\n{await stderr}");
        }

        return new Outcome(process.ExitCode, await stdout, await stderr);
    }
}

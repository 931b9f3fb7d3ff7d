using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace SiteCraft.Ml.Cli.Terminal;

/// <summary>Tells the progress bar how far a file has been read and how many records that was.</summary>
public delegate void ProgressUpdate(long bytesRead, long records);

/// <summary>
/// A progress bar on stderr for work through a file: bytes and percentage, records and records/s,
/// transfer rate and time left. Drawn only when stderr is a terminal, so output that is redirected
/// or piped (CI logs, files) carries no escape codes.
/// </summary>
public static class FileProgress
{
    public static async Task RunAsync(string label, long totalBytes, Func<ProgressUpdate, Task> work)
    {
        if (Console.IsErrorRedirected)
        {
            await work(static (_, _) => { });
            return;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = InteractionSupport.Yes,
        });
        var name = Markup.Escape(label);
        await console.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new TransferSpeedColumn { Culture = CultureInfo.InvariantCulture },
                new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(name, maxValue: Math.Max(totalBytes, 1));
                var started = Stopwatch.GetTimestamp();
                await work((bytes, records) =>
                {
                    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    var rate = seconds > 0 ? records / seconds : 0;
                    task.Value = Math.Min(bytes, task.MaxValue);
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"{name}: {records:N0} records, {rate:N0}/s");
                });
                task.Value = task.MaxValue;
                task.StopTask();
            });
    }
}

using System.Globalization;
using SiteCraft.Ml.Evals.Data;
using Spectre.Console;

namespace SiteCraft.Ml.Cli.Evals;

/// <summary>
/// A progress bar on stderr for an eval run: samples done of total, errors, samples/s and time
/// left. On a terminal only; otherwise one line every 10% so CI logs show progress.
/// </summary>
public static class EvalProgressBar
{
    public static async Task<T> RunAsync<T>(string label, int total, Func<IProgress<EvalProgress>, Task<T>> work)
    {
        if (Console.IsErrorRedirected)
        {
            var lastDecile = -1;
            return await work(new Progress<EvalProgress>(p =>
            {
                var decile = p.Total == 0 ? 10 : p.Done * 10 / p.Total;
                if (decile > lastDecile)
                {
                    lastDecile = decile;
                    Console.Error.WriteLine(Line(label, p));
                }
            }));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Interactive = InteractionSupport.Yes });
        var name = Markup.Escape(label);
        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(name, maxValue: Math.Max(total, 1));
                result = await work(new SynchronousProgress(p =>
                {
                    task.Value = Math.Min(p.Done, task.MaxValue);
                    task.Description = Markup.Escape(Line(label, p));
                }));
                task.Value = task.MaxValue;
                task.StopTask();
            });
        return result;
    }

    private static string Line(string label, EvalProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"{label}: {p.Done:N0}/{p.Total:N0} samples, {p.Errors:N0} errors, {p.RatePerSecond:0.0}/s{(p.Eta is { } eta ? $", {eta:hh\\:mm\\:ss} left" : "")}");

    /// <summary>Reports on the caller's thread: Spectre's task is thread-safe, and Progress&lt;T&gt; would post to a pool thread late.</summary>
    private sealed class SynchronousProgress(Action<EvalProgress> report) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => report(value);
    }
}

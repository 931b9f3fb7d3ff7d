using System.Globalization;
using System.Text;
using SiteCraft.Ml.Evals.V1;

namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>The eval-run benchmark as a markdown section: where, how, each run's time and results, and the cache.</summary>
public static class EvalsRunReport
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static string Render(EvalsRunResult result)
    {
        var settings = result.Settings;
        var machine = result.Machine;
        var md = new StringBuilder();
        md.AppendLine(s_invariant, $"## Eval runs through the service, {result.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(s_invariant, $"- Machine: {machine.Cores} cores ({machine.Cpu}), {machine.OperatingSystem}, {machine.Runtime}; shared with other work, so noisy");
        md.AppendLine(s_invariant, $"- Command: `{result.CommandLine}`");
        md.AppendLine(s_invariant, $"- Build: {BuildInfo.Configuration} (the AppHost runs the services from the same build)");
        md.AppendLine("- Graph: the real AppHost (local Postgres, migrator, inference, evals, contracts), dashboard off, services at Warning; evals' nightly schedule off, online evals at their defaults");
        md.AppendLine(s_invariant, $"- Target: pinned `{settings.Provider}` / `{settings.Model}` in `{settings.Environment}`, repeats 1{(settings.Limit > 0 ? $", first {settings.Limit} cases of each suite" : "")}; the suites {(settings.Concurrent ? "started all at once" : "one after another")}");
        md.AppendLine("- Path: gRPC h2c to the eval service's Kestrel: StartRun, then WatchRun until its last event; wall time is the client's, from StartRun to that event (WatchRun polls every 500 ms)");
        md.AppendLine("- The runner's default limit of 2 generations in flight for sitecraft-local applies across all runs; the model, Postgres and both services share the same cores");
        md.AppendLine();

        md.AppendLine("| suite | status | samples | wall | samples/s | executing (service's clock) | pass rate [95% Wilson] | mean score [95% CI] | errors | cached | p95 latency | suite passes |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | --- |");
        foreach (var run in result.Runs)
        {
            Row(md, run.Suite, run);
        }

        md.AppendLine(s_invariant,
            $"| **all {result.Runs.Count}** | | {result.TotalSamples:N0} | **{Seconds(result.TotalWall)}** | **{result.TotalSamples / result.TotalWall.TotalSeconds:N2}** | | | | {result.Runs.Sum(r => r.Run.ErrorSamples):N0} | | | |");
        Row(md, $"{result.Cached.Suite} again, use_cache", result.Cached);
        md.AppendLine();

        var first = result.Runs.FirstOrDefault(r => r.Suite == result.Cached.Suite);
        if (first is not null)
        {
            md.AppendLine(s_invariant,
                $"Cache: the repeat of {result.Cached.Suite} took {Seconds(result.Cached.Wall)} against {Seconds(first.Wall)} ({first.Wall / result.Cached.Wall:N1}× faster), {result.Cached.Run.CachedSamples:N0} of {result.Cached.Run.DoneSamples:N0} samples from the cache.");
            md.AppendLine();
        }

        md.AppendLine("Pass rate of each assertion, per run:");
        md.AppendLine();
        foreach (var run in result.Runs)
        {
            md.AppendLine(s_invariant, $"- {run.Suite}: {string.Join(", ", run.Run.Metrics.Select(m => string.Create(s_invariant, $"{m.Name} {m.Estimate.Value:P1}")))}");
        }

        foreach (var run in result.Runs.Append(result.Cached).Where(r => !string.IsNullOrEmpty(r.Run.Failure)))
        {
            md.AppendLine(s_invariant, $"- {run.Suite} failed: {run.Run.Failure}");
        }

        return md.ToString();
    }

    private static void Row(StringBuilder md, string name, TimedRun timed)
    {
        var run = timed.Run;
        md.AppendLine(s_invariant,
            $"| {name} | {run.Status} | {run.DoneSamples:N0} | {Seconds(timed.Wall)} | {timed.SamplesPerSecond:N2} | {(timed.Executing is { } executing ? Seconds(executing) : "n/a")} | {Interval(run.PassRate)} | {Interval(run.MeanScore)} | {run.ErrorSamples:N0} | {run.CachedSamples:N0} | {run.P95LatencyMs:N0} ms | {(run.SuitePassed ? "yes" : "no")} (≥ {run.PassThreshold:0.00}) |");
    }

    private static string Interval(Estimate? estimate) =>
        estimate is null ? "n/a" : string.Create(s_invariant, $"{estimate.Value:0.000} [{estimate.Lower:0.000}, {estimate.Upper:0.000}]");

    private static string Seconds(TimeSpan span) => string.Create(s_invariant, $"{span.TotalSeconds:N1} s");
}

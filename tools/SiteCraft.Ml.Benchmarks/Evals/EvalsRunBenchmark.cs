using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using SiteCraft.Ml.Benchmarks.Measurement;
using SiteCraft.Ml.Benchmarks.Platform;
using SiteCraft.Ml.Evals.V1;

namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>
/// The shipped suites through the eval service's gRPC API on the real AppHost graph: StartRun then
/// WatchRun to the end for each, timed from the client, then one suite again to see the cache answer.
/// </summary>
public static class EvalsRunBenchmark
{
    private const int LogLinesOnFailure = 40;

    // Unused: the pinned local model needs no key, but the platform sets one for the benchmark's fake providers.
    private const string ProviderKey = "bench-unused-key";

    private static readonly TimeSpan s_progressInterval = TimeSpan.FromSeconds(15);

    /// <summary>Runs, prints the report to stdout (and the output file); 0 when every run completed.</summary>
    public static async Task<int> RunAsync(EvalsRunSettings settings, string commandLine, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        await using var platform = new BenchPlatform();
        EvalsRunResult result;
        try
        {
            Progress($"Starting the AppHost graph (local Postgres in a temporary folder); up to {BenchPlatform.StartTimeout.TotalMinutes:0} min");
            await platform.StartAsync(settings.Environment, ProviderKey, cancellationToken);
            result = await MeasureAsync(platform, settings, commandLine, startedAt, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"The benchmark failed: {e}");
            PrintLogs(platform);
            return 1;
        }

        var report = EvalsRunReport.Render(result);
        await Console.Out.WriteAsync(report);
        if (settings.Output is { } output)
        {
            output.Directory?.Create();
            await File.WriteAllTextAsync(output.FullName, report, cancellationToken);
            Progress($"Report written to {output.FullName}");
        }

        if (!result.Sound)
        {
            await Console.Error.WriteLineAsync("Not every run completed; see the report.");
            PrintLogs(platform);
            return 1;
        }

        return 0;
    }

    private static async Task<EvalsRunResult> MeasureAsync(
        BenchPlatform platform, EvalsRunSettings settings, string commandLine, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(platform.EvalsEndpoint("grpc"));
        // StartRun needs the admin token: it calls inference with admin rights.
        var token = await platform.AdminTokenAsync(cancellationToken);
        var client = new EvalService.EvalServiceClient(channel.Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        }));
        var listed = await client.ListSuitesAsync(new ListSuitesRequest(), cancellationToken: cancellationToken);
        var missing = settings.Suites.Append(settings.CacheSuite).Where(id => listed.Suites.All(s => s.SuiteId != id)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"the eval service has no suite {string.Join(", ", missing)} (it has {string.Join(", ", listed.Suites.Select(s => s.SuiteId))}; sync errors: {string.Join("; ", listed.SyncErrors)})");
        }

        Progress($"Running {string.Join(", ", settings.Suites)} {(settings.Concurrent ? "all at once" : "one after another")} against {settings.Provider}/{settings.Model} in {settings.Environment}");
        var total = Stopwatch.StartNew();
        List<TimedRun> runs;
        if (settings.Concurrent)
        {
            var started = new List<Task<TimedRun>>();
            foreach (var suite in settings.Suites)
            {
                started.Add(RunToEndAsync(client, settings, suite, cancellationToken));
            }

            runs = [.. await Task.WhenAll(started)];
        }
        else
        {
            runs = [];
            foreach (var suite in settings.Suites)
            {
                runs.Add(await RunToEndAsync(client, settings, suite, cancellationToken));
            }
        }

        var totalWall = total.Elapsed;
        Progress($"All suites done in {totalWall.TotalSeconds:N0} s; now {settings.CacheSuite} again, from the cache");
        var cached = await RunToEndAsync(client, settings, settings.CacheSuite, cancellationToken);
        return new EvalsRunResult(MachineInfo.Current(), commandLine, settings, startedAt, runs, totalWall, cached);
    }

    /// <summary>StartRun, then WatchRun until the event that carries the final run; wall time from the client's side.</summary>
    private static async Task<TimedRun> RunToEndAsync(EvalService.EvalServiceClient client, EvalsRunSettings settings, string suite, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + settings.RunTimeout;
        var started = await client.StartRunAsync(
            new StartRunRequest
            {
                SuiteId = suite,
                Environment = settings.Environment,
                Provider = settings.Provider,
                Model = settings.Model,
                Repeats = 1,
                Limit = settings.Limit,
                UseCache = true,
                RequestedBy = "benchmark",
            },
            deadline: deadline,
            cancellationToken: cancellationToken);
        Progress($"{suite}: run {started.RunId} started, {started.TotalSamples} samples");

        using var watch = client.WatchRun(new WatchRunRequest { RunId = started.RunId }, deadline: deadline, cancellationToken: cancellationToken);
        var lastReport = Stopwatch.StartNew();
        await foreach (var progress in watch.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (progress.Run is { } finished)
            {
                Progress($"{suite}: {finished.Status} in {clock.Elapsed.TotalSeconds:N1} s, {finished.DoneSamples} samples, {finished.ErrorSamples} errors, {finished.CachedSamples} cached");
                return new TimedRun(suite, clock.Elapsed, finished);
            }

            if (lastReport.Elapsed >= s_progressInterval)
            {
                Progress($"{suite}: {progress.DoneSamples}/{progress.TotalSamples}, {progress.Rate:N2} samples/s, eta {progress.EtaSeconds:N0} s");
                lastReport.Restart();
            }
        }

        // The stream ended without its final event (the server stopped watching): take the run as it stands.
        var run = await client.GetRunAsync(new GetRunRequest { RunId = started.RunId }, cancellationToken: cancellationToken);
        return new TimedRun(suite, clock.Elapsed, run);
    }

    private static void PrintLogs(BenchPlatform platform)
    {
        foreach (var resource in new[] { BenchPlatform.Evals, BenchPlatform.Inference })
        {
            Console.Error.WriteLine($"--- last {LogLinesOnFailure} lines of the {resource} resource ---");
            foreach (var line in platform.Logs.Tail(resource, LogLinesOnFailure))
            {
                Console.Error.WriteLine(line);
            }
        }
    }

    // Progress goes to stderr so stdout carries the markdown alone.
    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

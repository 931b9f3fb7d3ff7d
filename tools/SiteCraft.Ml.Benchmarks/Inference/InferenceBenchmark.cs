using System.Net.Http.Headers;
using Grpc.Net.Client;
using Npgsql;
using SiteCraft.Ml.Benchmarks.Measurement;
using SiteCraft.Ml.Benchmarks.Platform;
using SiteCraft.Ml.FakeProviders;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Benchmarks.Inference;

/// <summary>
/// What the inference service adds to a provider call, one at a time and under load, and whether its
/// telemetry keeps every row: the real graph, a fake provider that answers at once, and the same client
/// stack called directly as the baseline.
/// </summary>
public static class InferenceBenchmark
{
    private const string ProviderKey = "test-key";
    private const int LogLinesOnFailure = 200;

    private static readonly TimeSpan s_routingTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_rowsTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs, prints the report to stdout (and the output file); 0 when every call answered and every row landed.</summary>
    public static async Task<int> RunAsync(InferenceSettings settings, string commandLine, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        await using var platform = new BenchPlatform();
        InferenceRun run;
        try
        {
            Progress($"Starting the AppHost graph (local Postgres in a temporary folder); up to {BenchPlatform.StartTimeout.TotalMinutes:0} min");
            await platform.StartAsync(BenchRouting.Environment, ProviderKey, cancellationToken);
            run = await MeasureAsync(platform, settings, commandLine, startedAt, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"The benchmark failed: {e}");
            PrintInferenceLogs(platform);
            return 1;
        }

        var report = InferenceReport.Render(run);
        await Console.Out.WriteAsync(report);
        if (settings.Output is { } output)
        {
            output.Directory?.Create();
            await File.WriteAllTextAsync(output.FullName, report, cancellationToken);
            Progress($"Report written to {output.FullName}");
        }

        if (!run.Sound)
        {
            await Console.Error.WriteLineAsync($"{run.FailedCalls} calls failed, {run.RowsLost} telemetry rows lost, {run.RowsFound - run.RowsExpected} extra.");
            PrintInferenceLogs(platform);
            return 1;
        }

        return 0;
    }

    private static async Task<InferenceRun> MeasureAsync(BenchPlatform platform, InferenceSettings settings, string commandLine, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var provider = await FakeProviderServer.StartOpenAIAsync(ProviderKey, cancellationToken);
        await using var db = NpgsqlDataSource.Create(await platform.ConnectionStringAsync(cancellationToken));
        using var admin = new HttpClient { BaseAddress = platform.Endpoint("http") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await platform.AdminTokenAsync(cancellationToken));

        var routing = new BenchRouting(db, admin);
        var version = await routing.PublishAsync(provider.BaseUrl, cancellationToken);
        await routing.WaitUntilRoutedAsync(version, s_routingTimeout, cancellationToken);

        var grpc = platform.Endpoint("grpc");
        using var direct = new DirectCaller(provider.BaseUrl, ProviderKey, BenchRouting.Model);
        SequentialResult sequential;
        using (var channel = NewChannel(grpc))
        {
            Progress($"Sequential: {InferenceSettings.SequentialWarmup:N0} warm-up pairs, then {settings.Sequential:N0} counted");
            var service = new ServiceCaller(new GenerationService.GenerationServiceClient(channel), settings.RequestIds);
            sequential = await SequentialPhase.RunAsync(direct, service, InferenceSettings.SequentialWarmup, settings.Sequential, cancellationToken);
        }

        var channels = Enumerable.Range(0, InferenceSettings.Channels).Select(_ => NewChannel(grpc)).ToArray();
        ConcurrentResult underLoad;
        try
        {
            Progress($"Concurrent through the service: {settings.Concurrency} callers for {settings.Duration.TotalSeconds:0} s");
            var clients = channels.Select(c => new GenerationService.GenerationServiceClient(c)).ToArray();
            var next = 0;
            underLoad = await ConcurrentPhase.RunAsync(
                () => new ServiceCaller(clients[next++ % clients.Length], settings.RequestIds).CallAsync,
                settings.Concurrency,
                settings.ConcurrentWarmup,
                settings.Duration,
                cancellationToken);
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }

        Progress($"Concurrent direct baseline: {settings.Concurrency} callers for {settings.DirectDuration.TotalSeconds:0} s");
        var baseline = await ConcurrentPhase.RunAsync(
            () => direct.CallAsync, settings.Concurrency, settings.ConcurrentWarmup, settings.DirectDuration, cancellationToken);

        var rows = new GenerationEventRows(db);
        long expected = sequential.WarmupService.Succeeded + sequential.Service.Succeeded + underLoad.Warmup.Succeeded + underLoad.Calls.Succeeded;
        Progress($"Waiting up to {s_rowsTimeout.TotalSeconds:0} s for {expected:N0} ai_generation_events rows");
        var found = await rows.WaitForCountAsync(expected, s_rowsTimeout, cancellationToken);
        var sequentialTimings = await rows.TimingsAsync(sequential.Started, sequential.Ended, cancellationToken);
        var loadTimings = await rows.TimingsAsync(underLoad.Started, underLoad.Ended, cancellationToken);

        return new InferenceRun(
            MachineInfo.Current(), commandLine, settings, startedAt, sequential, sequentialTimings, underLoad, loadTimings, baseline, expected, found);
    }

    /// <summary>h2c to the service; more than one HTTP/2 connection when a connection's streams fill up.</summary>
    private static GrpcChannel NewChannel(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        DisposeHttpClient = true,
    });

    private static void PrintInferenceLogs(BenchPlatform platform)
    {
        Console.Error.WriteLine($"--- last {LogLinesOnFailure} lines of the {BenchPlatform.Inference} resource ---");
        foreach (var line in platform.Logs.Tail(BenchPlatform.Inference, LogLinesOnFailure))
        {
            Console.Error.WriteLine(line);
        }
    }

    // Progress goes to stderr so stdout carries the markdown alone.
    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using SiteCraft.Ml.AppHost.Postgres;

namespace SiteCraft.Ml.Benchmarks.Platform;

/// <summary>
/// The real AppHost graph (local Postgres, migrator, services) in temporary folders of its own, with
/// the inference service set up to serve a benchmark environment and the eval service to run suites
/// on request only. Disposing stops it and deletes them.
/// </summary>
public sealed class BenchPlatform : IAsyncDisposable
{
    public const string Inference = "inference";

    public const string Evals = "evals";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(30);

    // The whole graph must be up before measuring, so no service's start competes for the cores.
    private static readonly string[] s_services = [Inference, Evals, "contracts"];

    private readonly string _dataDirectory = TempPath("sitecraft-bench-pg");
    private DistributedApplication? _app;

    /// <summary>Where the inference service spools telemetry the database cannot take.</summary>
    public string SpoolDirectory { get; } = TempPath("sitecraft-bench-spool");

    public ResourceLogs Logs { get; } = new();

    public DistributedApplication App => _app ?? throw new InvalidOperationException("the platform has not started");

    /// <summary>
    /// Starts the graph and waits until every service is healthy. The inference service serves
    /// "development" and <paramref name="environment"/>, reads provider keys named Providers:test:ApiKey,
    /// and logs warnings and above only. The eval service starts no run of its own (no nightly schedule)
    /// and serves gRPC straight from Kestrel too.
    /// </summary>
    public async Task StartAsync(string environment, string providerKey, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SiteCraft_Ml_AppHost>(
            [
                "--Postgres:Mode=local",
                $"--Postgres:DataDirectory={_dataDirectory}",
                "--DcpPublisher:WaitForResourceCleanup=false",
                "--Logging:LogLevel:Default=Warning",
            ],
            (options, _) => options.DisableDashboard = true,
            timeout.Token);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            // Resource logs are kept in Logs and printed when a run fails; the report stays readable.
            .AddFilter("SiteCraft.Ml.AppHost.Resources", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        // stdout carries the report alone.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);

        var inference = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == Inference);
        builder.CreateResourceBuilder(inference)
            .WithEnvironment("Routing__Environments__0", "development")
            .WithEnvironment("Routing__Environments__1", environment)
            .WithEnvironment("Providers__test__ApiKey", providerKey)
            .WithEnvironment("Telemetry__SpoolDirectory", SpoolDirectory)
            .WithEnvironment("Logging__LogLevel__Default", "Warning")
            // Straight to Kestrel: DCP's development proxy would add a TCP hop no deployment has.
            .WithEndpoint("grpc", endpoint => endpoint.IsProxied = false);

        var evals = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == Evals);
        builder.CreateResourceBuilder(evals)
            // A nightly slot falling inside a benchmark would start 600 generations on the same cores.
            .WithEnvironment("Evals__Nightly__Cron", "")
            .WithEnvironment("Logging__LogLevel__Default", "Warning")
            .WithEndpoint("grpc", endpoint => endpoint.IsProxied = false);

        _app = await builder.BuildAsync(timeout.Token);
        Logs.Watch(_app, _app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        await _app.StartAsync(timeout.Token);
        foreach (var service in s_services)
        {
            await WaitUntilHealthyAsync(service, timeout.Token, cancellationToken);
        }
    }

    public Uri Endpoint(string endpointName) => App.GetEndpoint(Inference, endpointName);

    public Uri EvalsEndpoint(string endpointName) => App.GetEndpoint(Evals, endpointName);

    public async Task<string> ConnectionStringAsync(CancellationToken cancellationToken) =>
        await App.GetConnectionStringAsync("sitecraft", cancellationToken)
        ?? throw new InvalidOperationException("the sitecraft database has no connection string");

    /// <summary>The generated secret the AppHost hands the inference service as Inference:AdminToken.</summary>
    public async Task<string> AdminTokenAsync(CancellationToken cancellationToken)
    {
        var parameter = App.Services.GetRequiredService<DistributedApplicationModel>()
            .Resources.OfType<ParameterResource>().Single(p => p.Name == "inference-admin-token");
        return await parameter.GetValueAsync(cancellationToken) ?? throw new InvalidOperationException("the admin token has no value");
    }

    /// <summary>
    /// Stops Postgres and waits until its process has ended, disposes the app, then deletes the folders.
    /// Disposing alone would not wait: with WaitForResourceCleanup off, DCP ends the processes after this
    /// one exits, and the data folder would go from under a live server. The services are left to DCP:
    /// stopping each through DCP takes 12-18 s here (the inference service's stop even reports failure),
    /// and nothing of theirs is needed any more.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        string? socketDirectory = null;
        if (_app is not null)
        {
            socketDirectory = _app.Services.GetRequiredService<DistributedApplicationModel>()
                .Resources.OfType<LocalPostgresServerResource>().SingleOrDefault()?.Layout.SocketDirectory;
            using var timeout = new CancellationTokenSource(s_stopTimeout);
            await StopAsync(_app, SiteCraftDatabaseExtensions.ServerName, timeout.Token);
            await _app.DisposeAsync();
        }

        TryDelete(_dataDirectory);
        TryDelete(SpoolDirectory);
        if (socketDirectory is not null)
        {
            TryDelete(socketDirectory);
        }
    }

    private static async Task StopAsync(DistributedApplication app, string resource, CancellationToken timeout)
    {
        try
        {
            if (app.ResourceNotifications.TryGetCurrentState(resource, out var current)
                && KnownResourceStates.TerminalStates.Contains(current.Snapshot.State?.Text))
            {
                return;
            }

            var result = await app.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand, timeout);
            if (!result.Success)
            {
                Console.Error.WriteLine($"Could not stop {resource}: {result.Message}");
                return;
            }

            await app.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, timeout);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Console.Error.WriteLine($"{resource} had not stopped within {s_stopTimeout.TotalSeconds:0} s; DCP ends it when this process exits");
        }
    }

    private async Task WaitUntilHealthyAsync(string service, CancellationToken timeout, CancellationToken cancellationToken)
    {
        ResourceEvent settled;
        try
        {
            // Healthy, or a state it will not leave (the migrator failed, the process exited).
            settled = await App.ResourceNotifications.WaitForResourceAsync(
                service,
                e => e.Snapshot.HealthStatus == HealthStatus.Healthy || KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text),
                timeout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PlatformStartException($"{service} was not healthy within {StartTimeout.TotalSeconds:0} s");
        }

        if (settled.Snapshot.HealthStatus != HealthStatus.Healthy)
        {
            throw new PlatformStartException($"{service} stopped before it was healthy: state {settled.Snapshot.State?.Text}, exit code {settled.Snapshot.ExitCode}");
        }
    }

    private static string TempPath(string prefix) => Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A postgres still shutting down can hold a file for a moment; say so rather than hide it.
            Console.Error.WriteLine($"Could not delete {folder}: {e.Message}");
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SiteCraft.Ml.IntegrationTests;

/// <summary>
/// The real AppHost graph in local Postgres mode, started once for the whole run. Every resource's
/// log lines are kept, so a failed start shows what each resource said.
/// </summary>
public sealed class PlatformFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    public static readonly string[] Services = ["inference", "evals", "contracts"];

    private readonly ConcurrentQueue<string> _logs = new();

    public DistributedApplication App { get; private set; } = null!;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"sitecraft-it-{Guid.NewGuid():N}"[..24]);

    public IReadOnlyCollection<string> Logs => _logs;

    public async Task InitializeAsync()
    {
        App = await StartAsync(
            [
                "--Postgres:Mode=local",
                $"--Postgres:DataDirectory={DataDirectory}",
            ],
            _logs);

        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            foreach (var service in Services)
            {
                await App.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException(
                $"The platform was not healthy within {StartTimeout.TotalSeconds:0} s. Resource logs:\n{TailOf(_logs, 120)}");
        }

        diagnostics.OnMessage(new DiagnosticMessage($"Platform healthy; Postgres data in {DataDirectory}"));
    }

    /// <summary>Starts the AppHost with extra arguments and collects every resource's logs into <paramref name="logs"/>.</summary>
    public static async Task<DistributedApplication> StartAsync(string[] arguments, ConcurrentQueue<string> logs)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SiteCraft_Ml_AppHost>(
            [.. arguments, "--DcpPublisher:WaitForResourceCleanup=false"],
            (options, _) => options.DisableDashboard = true,
            timeout.Token);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            // Resource logs are collected above and shown when a start fails; the console stays readable.
            .AddFilter("SiteCraft.Ml.AppHost.Resources", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));

        ConfigureInferenceForTests(builder);
        var app = await builder.BuildAsync(timeout.Token);

        // The watchers end when the app stops.
        var stopping = app.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
        _ = CollectLogsAsync(app, logs, stopping);
        await app.StartAsync(timeout.Token);
        return app;
    }

    /// <summary>Where the inference service spools telemetry in tests (one folder per run).</summary>
    public static string SpoolDirectory { get; } = Path.Combine(Path.GetTempPath(), $"sitecraft-spool-{Guid.NewGuid():N}"[..26]);

    /// <summary>The API key the test providers accept; provider rows in tests name Providers:test:ApiKey.</summary>
    public const string TestProviderKey = "test-key";

    /// <summary>
    /// Tests route in environments of their own ("test-…", gated ones "test-gated-…"), so each test
    /// owns its policies; guardrails tick every second so a rollback test takes seconds.
    /// </summary>
    private static void ConfigureInferenceForTests(IDistributedApplicationTestingBuilder builder)
    {
        var inference = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "inference");
        builder.CreateResourceBuilder(inference)
            .WithEnvironment("Routing__Environments__0", "development")
            .WithEnvironment("Routing__Environments__1", "test-*")
            .WithEnvironment("Routing__GatedEnvironments__0", "prod")
            .WithEnvironment("Routing__GatedEnvironments__1", "test-gated-*")
            .WithEnvironment("Routing__GuardrailInterval", "00:00:01")
            .WithEnvironment("Inference__CaptureBodies__0", "development")
            .WithEnvironment("Inference__CaptureBodies__1", "test-*")
            .WithEnvironment("Inference__MaxPromptChars", "20000")
            .WithEnvironment("Providers__test__ApiKey", TestProviderKey)
            // One folder per started graph: a spool folder admits one writer, and a test may start a second graph.
            .WithEnvironment("Telemetry__SpoolDirectory", Path.Combine(SpoolDirectory, Guid.NewGuid().ToString("N")[..8]));

        // Evals read the shipped suites plus the tests' own (Evals/Suites) from one folder beside the tests;
        // online evals score half of the generations every second; the nightly schedule is off (tests trigger it).
        var evals = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "evals");
        builder.CreateResourceBuilder(evals)
            .WithEnvironment("Evals__SuitesDirectory", EvalSuitesDirectory)
            .WithEnvironment("Evals__PollInterval", "00:00:00.500")
            .WithEnvironment("Evals__Online__Interval", "00:00:01")
            .WithEnvironment("Evals__Online__SampleRate", OnlineSampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Evals__Nightly__Cron", "")
            .WithEnvironment("Evals__Nightly__Suites__0", "test-echo-copy");

        // Snapshots the contracts service writes go to a temporary folder, not the user's data folder.
        var contracts = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "contracts");
        builder.CreateResourceBuilder(contracts).WithEnvironment("Contracts__SnapshotDirectory", SnapshotDirectory);
    }

    /// <summary>The shipped suites and the tests' suites, copied beside the tests.</summary>
    public static string EvalSuitesDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "evals-suites");

    /// <summary>The share of generations the online evaluator scores in tests.</summary>
    public const double OnlineSampleRate = 0.5;

    public static string SnapshotDirectory { get; } = Path.Combine(Path.GetTempPath(), $"sitecraft-snapshots-{Guid.NewGuid():N}"[..30]);

    public static string TailOf(IEnumerable<string> logs, int lines) => string.Join('\n', logs.TakeLast(lines));

    public async Task<NpgsqlDataSourceOwner> OpenDatabaseAsync() => new(await ConnectionStringAsync());

    public async Task<string> ConnectionStringAsync(string resource = "sitecraft") =>
        await App.GetConnectionStringAsync(resource) ?? throw new InvalidOperationException($"{resource} has no connection string");

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        TryDelete(DataDirectory);
        TryDelete(SpoolDirectory);
    }

    public static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A postgres still shutting down can hold a file for a moment; /tmp is cleaned anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task CollectLogsAsync(DistributedApplication app, ConcurrentQueue<string> logs, CancellationToken stop)
    {
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        var watching = new HashSet<string>();
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(stop))
            {
                logs.Enqueue($"[{update.Resource.Name}] state {update.Snapshot.State?.Text} exit={update.Snapshot.ExitCode}");
                // Logs are kept per instance ("inference-abcd"); a project's are not found by its name.
                if (watching.Add(update.ResourceId))
                {
                    _ = WatchAsync(loggers, update.ResourceId, update.Resource.Name, logs, stop);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WatchAsync(ResourceLoggerService loggers, string instance, string resource, ConcurrentQueue<string> logs, CancellationToken stop)
    {
        try
        {
            await foreach (var batch in loggers.WatchAsync(instance).WithCancellation(stop))
            {
                foreach (var line in batch)
                {
                    logs.Enqueue($"[{resource}] {line.Content}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformTestGroup : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}

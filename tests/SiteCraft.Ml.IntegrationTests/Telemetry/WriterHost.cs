using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SiteCraft.Ml.Inference.Telemetry;

namespace SiteCraft.Ml.IntegrationTests.Telemetry;

/// <summary>
/// A host holding just the generation event writer, wired by AddGenerationTelemetry as the inference
/// service will wire it, over a data source of the test's choosing.
/// </summary>
public sealed class WriterHost : IAsyncDisposable
{
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private bool _stopped;

    private WriterHost(IHost host, CollectingLoggerProvider logs)
    {
        Host = host;
        Logs = logs;
        Writer = host.Services.GetRequiredService<GenerationEventWriter>();
        Sink = host.Services.GetRequiredService<IGenerationEventSink>();
    }

    public IHost Host { get; }

    public GenerationEventWriter Writer { get; }

    public IGenerationEventSink Sink { get; }

    public CollectingLoggerProvider Logs { get; }

    /// <summary>Builds the host without starting it.</summary>
    public static WriterHost Create(string connectionString, string spoolDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telemetry:SpoolDirectory"] = spoolDirectory,
            // Short waits keep each test to a few seconds; the logic is the same at production values.
            ["Telemetry:FlushInterval"] = "00:00:00.020",
            ["Telemetry:RetryInitialDelay"] = "00:00:00.020",
            ["Telemetry:RetryMaxDelay"] = "00:00:00.200",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var logs = new CollectingLoggerProvider();
        builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.AddGenerationTelemetry();
        var host = builder.Build();
        try
        {
            return new WriterHost(host, logs);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public static async Task<WriterHost> StartAsync(string connectionString, string spoolDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = Create(connectionString, spoolDirectory, settings);
        try
        {
            await host.StartHostAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async Task StartHostAsync()
    {
        using var timeout = new CancellationTokenSource(StopTimeout);
        await Host.StartAsync(timeout.Token);
    }

    /// <summary>Records each event, failing the test if the sink refuses one.</summary>
    public void Record(IEnumerable<GenerationEvent> events)
    {
        foreach (var e in events)
        {
            Assert.True(Sink.TryRecord(e), $"TryRecord refused {e.EventId}");
        }
    }

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(StopTimeout);
        await Host.StopAsync(timeout.Token);
        _stopped = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        Host.Dispose();
    }
}

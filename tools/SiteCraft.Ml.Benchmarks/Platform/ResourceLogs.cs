using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace SiteCraft.Ml.Benchmarks.Platform;

/// <summary>
/// Every resource's state changes and log lines, the last few thousand of each, so a failed run can
/// show what the inference service said.
/// </summary>
public sealed class ResourceLogs
{
    private const int KeptLinesPerResource = 5000;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new(StringComparer.Ordinal);

    /// <summary>The last <paramref name="count"/> lines of one resource, oldest first.</summary>
    public IReadOnlyList<string> Tail(string resource, int count) =>
        _lines.TryGetValue(resource, out var lines) ? [.. lines.TakeLast(count)] : [];

    /// <summary>Collects until the app stops.</summary>
    public void Watch(DistributedApplication app, CancellationToken stop) => _ = CollectAsync(app, stop);

    private async Task CollectAsync(DistributedApplication app, CancellationToken stop)
    {
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        var watching = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(stop))
            {
                var name = update.Resource.Name;
                Add(name, $"state {update.Snapshot.State?.Text} health={update.Snapshot.HealthStatus} exit={update.Snapshot.ExitCode}");
                // Logs are kept per instance ("inference-abcd1234"), states per resource.
                if (watching.Add(update.ResourceId))
                {
                    _ = FollowAsync(loggers, update.ResourceId, name, stop);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task FollowAsync(ResourceLoggerService loggers, string instance, string resource, CancellationToken stop)
    {
        try
        {
            await foreach (var batch in loggers.WatchAsync(instance).WithCancellation(stop))
            {
                foreach (var line in batch)
                {
                    Add(resource, line.Content);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Add(string resource, string line)
    {
        var lines = _lines.GetOrAdd(resource, _ => new ConcurrentQueue<string>());
        lines.Enqueue(line);
        while (lines.Count > KeptLinesPerResource && lines.TryDequeue(out _))
        {
        }
    }
}

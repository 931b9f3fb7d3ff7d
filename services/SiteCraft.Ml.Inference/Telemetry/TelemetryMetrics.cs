using System.Diagnostics.Metrics;

namespace SiteCraft.Ml.Inference.Telemetry;

/// <summary>The writer's counters, both as OpenTelemetry instruments and as totals tests can read.</summary>
internal sealed class TelemetryMetrics
{
    public const string MeterName = "SiteCraft.Ml.Inference.Telemetry";

    private readonly Counter<long> _written;
    private readonly Counter<long> _spooled;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _rejected;
    private long _writtenTotal;
    private long _spooledTotal;
    private long _droppedTotal;
    private long _rejectedTotal;

    public TelemetryMetrics(IMeterFactory meterFactory, Func<long> queueLength, Func<long> spoolBacklog)
    {
        var meter = meterFactory.Create(MeterName);
        _written = meter.CreateCounter<long>("sitecraft.telemetry.events.written", "{event}", "Generation events written to the database.");
        _spooled = meter.CreateCounter<long>("sitecraft.telemetry.events.spooled", "{event}", "Generation events put in the local spool while the database could not take them.");
        _dropped = meter.CreateCounter<long>("sitecraft.telemetry.events.dropped", "{event}", "Generation events refused because the queue was full.");
        _rejected = meter.CreateCounter<long>("sitecraft.telemetry.events.rejected", "{event}", "Generation events the table refused for their content, kept in the rejected file.");
        meter.CreateObservableGauge("sitecraft.telemetry.queue.length", queueLength, "{event}", "Generation events queued in memory.");
        meter.CreateObservableGauge("sitecraft.telemetry.spool.backlog", spoolBacklog, "{event}", "Generation events in the spool waiting for the database.");
    }

    public long Written => Interlocked.Read(ref _writtenTotal);

    public long Spooled => Interlocked.Read(ref _spooledTotal);

    public long Dropped => Interlocked.Read(ref _droppedTotal);

    public long Rejected => Interlocked.Read(ref _rejectedTotal);

    public void AddWritten(long count) => Add(_written, ref _writtenTotal, count);

    public void AddSpooled(long count) => Add(_spooled, ref _spooledTotal, count);

    public void AddDropped(long count) => Add(_dropped, ref _droppedTotal, count);

    public void AddRejected(long count) => Add(_rejected, ref _rejectedTotal, count);

    private static void Add(Counter<long> counter, ref long total, long count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref total, count);
            counter.Add(count);
        }
    }
}

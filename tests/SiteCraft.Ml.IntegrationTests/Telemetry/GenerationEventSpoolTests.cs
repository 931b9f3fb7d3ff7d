using Microsoft.Extensions.Logging;
using SiteCraft.Ml.Inference.Telemetry;

namespace SiteCraft.Ml.IntegrationTests.Telemetry;

/// <summary>The writer while the database is unreachable: spooling, replay after it returns, and replay after a crash.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class GenerationEventSpoolTests(PlatformFixture platform) : IDisposable
{
    private readonly string _spool = Directory.CreateTempSubdirectory("sitecraft-spool-").FullName;
    private readonly List<string> _folders = [];

    [Fact]
    public async Task Events_recorded_while_the_database_is_unreachable_are_spooled_then_replayed_in_order_without_duplicates()
    {
        var database = await TelemetryDatabase.CreateAsync(platform);
        await using var proxy = new CuttableTcpProxy(database, open: true);
        var events = SampleEvents.Generations(70);
        await using var host = await WriterHost.StartAsync(proxy.ConnectionString, _spool);

        host.Record(events[..20]);
        await Eventually.UntilAsync(() => host.Writer.Written == 20, "the first events are written directly");
        proxy.Cut();
        host.Record(events[20..60]);
        await Eventually.UntilAsync(() => host.Writer.Spooled == 40, "the events recorded during the outage are spooled");
        host.Record(events[60..100]);
        await Eventually.UntilAsync(() => host.Writer.Spooled == 80, "the outage keeps spooling");
        proxy.Restore();
        // Recorded before the spool is replayed: they must queue behind it, not overtake it.
        host.Record(events[100..]);
        await Eventually.UntilAsync(() => host.Writer.Pending == 0, "the spool is replayed and the last events written");

        var stored = await StoredEvents.ReadAsync(database);
        StoredEvents.AssertSameEvents(events, stored);
        StoredEvents.AssertStoredInRecordingOrder(events, stored);
        Assert.Equal(events.Count, host.Writer.Written);
        Assert.Empty(SpoolSegments(_spool));
        Assert.Equal(0, host.Writer.Rejected);
        Assert.Equal(0, host.Writer.Dropped);
    }

    [Fact]
    public async Task Stopping_while_the_database_is_unreachable_keeps_every_event_in_the_spool_for_the_next_start()
    {
        var database = await TelemetryDatabase.CreateAsync(platform);
        var events = SampleEvents.Generations(30);
        await SpoolWhileUnreachableAsync(database, events);

        await using var restarted = await WriterHost.StartAsync(database, _spool);
        await Eventually.UntilAsync(() => restarted.Writer.Pending == 0, "the spool from the previous run is replayed");

        var stored = await StoredEvents.ReadAsync(database);
        StoredEvents.AssertSameEvents(events, stored);
        StoredEvents.AssertStoredInRecordingOrder(events, stored);
        Assert.Empty(SpoolSegments(_spool));
        Assert.Equal(0, restarted.Writer.Dropped);
    }

    [Fact]
    public async Task Replaying_a_spool_whose_rows_were_already_committed_adds_no_duplicates()
    {
        var database = await TelemetryDatabase.CreateAsync(platform);
        var events = SampleEvents.Generations(25);
        await SpoolWhileUnreachableAsync(database, events);
        // The spool as a crash between the replay's commit and the segment's deletion would leave it.
        var crashed = CopyOf(_spool);

        await using (var replayer = await WriterHost.StartAsync(database, _spool))
        {
            await Eventually.UntilAsync(() => replayer.Writer.Pending == 0, "the spool is replayed");
            Assert.Equal(events.Count, replayer.Writer.Written);
        }

        await using var restarted = await WriterHost.StartAsync(database, crashed);
        await Eventually.UntilAsync(() => restarted.Writer.Pending == 0, "the stale spool is replayed");

        StoredEvents.AssertSameEvents(events, await StoredEvents.ReadAsync(database));
        Assert.Equal(0, restarted.Writer.Written);
        Assert.Equal(0, restarted.Writer.Rejected);
        Assert.Empty(SpoolSegments(crashed));
        Assert.Equal(0, restarted.Writer.Dropped);
    }

    [Fact]
    public async Task A_torn_last_spool_line_is_skipped_with_a_warning_and_the_rest_is_replayed()
    {
        var database = await TelemetryDatabase.CreateAsync(platform);
        var events = SampleEvents.Generations(15);
        await SpoolWhileUnreachableAsync(database, events);
        var segment = Assert.Single(SpoolSegments(_spool));
        TearLastLine(segment);

        await using var restarted = await WriterHost.StartAsync(database, _spool);
        await Eventually.UntilAsync(() => restarted.Writer.Pending == 0, "the spool is replayed");

        StoredEvents.AssertSameEvents(events[..^1], await StoredEvents.ReadAsync(database));
        Assert.Contains(restarted.Logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("torn last line 30", StringComparison.Ordinal));
        Assert.Empty(SpoolSegments(_spool));
        Assert.Equal(0, restarted.Writer.Dropped);
    }

    [Fact]
    public async Task A_row_that_breaks_a_table_check_during_replay_is_rejected_and_the_rest_is_replayed()
    {
        var database = await TelemetryDatabase.CreateAsync(platform);
        await using var proxy = new CuttableTcpProxy(database, open: false);
        var events = SampleEvents.Generations(15);
        events[4] = events[4] with { Consent = false };
        events[19] = events[19] with { CompletionSha256 = "ABC" };
        await using var host = await WriterHost.StartAsync(proxy.ConnectionString, _spool);

        host.Record(events);
        await Eventually.UntilAsync(() => host.Writer.Spooled == events.Count, "the events are spooled");
        proxy.Restore();
        await Eventually.UntilAsync(() => host.Writer.Pending == 0, "the spool is replayed");

        StoredEvents.AssertSameEvents(events.Except([events[4], events[19]]), await StoredEvents.ReadAsync(database));
        Assert.Equal(2, host.Writer.Rejected);
        GenerationEventWriterTests.AssertRejected(
            _spool,
            (events[4].EventId, "ai_generation_events_bodies_need_consent_check"),
            (events[19].EventId, "ai_generation_events_completion_sha256_check"));
        Assert.Empty(SpoolSegments(_spool));
        Assert.Equal(0, host.Writer.Dropped);
    }

    public void Dispose()
    {
        PlatformFixture.TryDelete(_spool);
        _folders.ForEach(PlatformFixture.TryDelete);
    }

    /// <summary>Records the events with the database cut off and stops: all of them end up in the spool.</summary>
    private async Task SpoolWhileUnreachableAsync(string database, List<GenerationEvent> events)
    {
        await using var proxy = new CuttableTcpProxy(database, open: false);
        await using var host = await WriterHost.StartAsync(proxy.ConnectionString, _spool);
        host.Record(events);
        await host.StopAsync();

        Assert.Equal(events.Count, host.Writer.Spooled);
        Assert.Equal(events.Count, host.Writer.Pending);
        Assert.Equal(0, host.Writer.Written);
        Assert.Equal(0, host.Writer.Dropped);
    }

    private static string[] SpoolSegments(string spool) => Directory.GetFiles(spool, "spool-*.jsonl");

    /// <summary>Cuts the file in the middle of its last line, as a crash during an append would.</summary>
    private static void TearLastLine(string segment)
    {
        var bytes = File.ReadAllBytes(segment);
        var lastLineStart = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;
        File.WriteAllBytes(segment, bytes[..(lastLineStart + ((bytes.Length - lastLineStart) / 2))]);
    }

    private string CopyOf(string folder)
    {
        var copy = Directory.CreateTempSubdirectory("sitecraft-spool-copy-").FullName;
        _folders.Add(copy);
        foreach (var file in Directory.GetFiles(folder))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }
}

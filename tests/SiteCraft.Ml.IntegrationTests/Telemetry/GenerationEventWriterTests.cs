using System.Text.Json;
using SiteCraft.Ml.Inference.Telemetry;

namespace SiteCraft.Ml.IntegrationTests.Telemetry;

/// <summary>The writer against a reachable database: what lands, what is refused, what a stop does.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class GenerationEventWriterTests(PlatformFixture platform) : IDisposable
{
    private readonly string _spool = Directory.CreateTempSubdirectory("sitecraft-spool-").FullName;

    [Fact]
    public async Task Recorded_events_land_as_one_row_each_with_every_column_as_sent()
    {
        var database = await TelemetryDatabase.CreateAsync(platform);
        var events = SampleEvents.Generations(1250);
        await using var host = await WriterHost.StartAsync(database, _spool, new Dictionary<string, string?> { ["Telemetry:MaxBatchSize"] = "400" });

        host.Record(events);
        await Eventually.UntilAsync(() => host.Writer.Pending == 0, "every event is written");

        StoredEvents.AssertSameEvents(events, await StoredEvents.ReadAsync(database));
        Assert.Equal(
            events.Count(e => e.Params is not null),
            await StoredEvents.CountAsync(database, """select count(*) from ai_generation_events where params @> '{"temperature": 0.2}' and metadata -> 'tags' ? 'b'"""));
        Assert.Equal(events.Count, host.Writer.Written);
        Assert.Equal(0, host.Writer.Spooled);
        Assert.Equal(0, host.Writer.Rejected);
        Assert.Equal(0, host.Writer.Dropped);
    }

    [Fact]
    public async Task Stopping_the_host_writes_every_queued_event_before_it_returns()
    {
        var database = await TelemetryDatabase.CreateAsync(platform);
        var events = SampleEvents.Generations(1500);
        // A batch that would wait a minute to fill: only the stop can flush it in time.
        await using var host = await WriterHost.StartAsync(database, _spool, new Dictionary<string, string?>
        {
            ["Telemetry:FlushInterval"] = "00:01:00",
            ["Telemetry:MaxBatchSize"] = "100000",
        });

        host.Record(events);
        await host.StopAsync();

        Assert.Equal(events.Count, await StoredEvents.CountAsync(database));
        StoredEvents.AssertSameEvents(events, await StoredEvents.ReadAsync(database));
        Assert.Equal(0, host.Writer.Pending);
        Assert.Equal(0, host.Writer.Spooled);
        Assert.Equal(0, host.Writer.Dropped);
    }

    [Fact]
    public async Task A_row_that_breaks_a_table_check_goes_to_the_rejected_file_and_the_rest_of_its_batch_lands()
    {
        var database = await TelemetryDatabase.CreateAsync(platform);
        var events = Enumerable.Range(0, 40).Select(i => SampleEvents.Full(i)).ToList();
        events[7] = events[7] with { Consent = false };
        events[23] = events[23] with { PromptSha256 = "not-a-hash" };
        events[31] = events[31] with { Arm = "beta" };
        await using var host = await WriterHost.StartAsync(database, _spool);

        host.Record(events);
        await Eventually.UntilAsync(() => host.Writer.Pending == 0, "every event is written or rejected");

        var bad = new[] { events[7], events[23], events[31] };
        StoredEvents.AssertSameEvents(events.Except(bad), await StoredEvents.ReadAsync(database));
        Assert.Equal(3, host.Writer.Rejected);
        AssertRejected(
            _spool,
            (events[7].EventId, "ai_generation_events_bodies_need_consent_check"),
            (events[23].EventId, "ai_generation_events_prompt_sha256_check"),
            (events[31].EventId, "ai_generation_events_arm_check"));
        Assert.Contains(host.Logs.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Message.Contains(events[7].EventId.ToString(), StringComparison.Ordinal));
        Assert.Equal(0, host.Writer.Spooled);
        Assert.Equal(0, host.Writer.Dropped);
    }

    [Fact]
    public async Task A_full_queue_refuses_events_counts_them_as_dropped_and_keeps_the_rest()
    {
        var database = await TelemetryDatabase.CreateAsync(platform);
        var events = SampleEvents.Generations(8, attempts: 1);
        await using var host = WriterHost.Create(database, _spool, new Dictionary<string, string?> { ["Telemetry:ChannelCapacity"] = "5" });

        // Not started yet, so nothing reads the queue and the sixth event finds it full.
        var accepted = events.Select(host.Sink.TryRecord).ToList();
        await host.StartHostAsync();
        await Eventually.UntilAsync(() => host.Writer.Pending == 0, "the queued events are written");

        Assert.Equal([true, true, true, true, true, false, false, false], accepted);
        Assert.Equal(3, host.Writer.Dropped);
        StoredEvents.AssertSameEvents(events.Take(5), await StoredEvents.ReadAsync(database));
    }

    [Fact]
    public async Task Body_hash_matches_the_sha256_postgres_computes_from_the_utf8_text()
    {
        await using var db = await platform.OpenDatabaseAsync();
        string[] bodies = ["abc", "", "Crème brûlée 🍮 — « ok »", new string('x', 5000) + "é"];

        foreach (var body in bodies)
        {
            var expected = await db.ScalarAsync<string>("select encode(sha256(convert_to($1, 'UTF8')), 'hex')", body);
            Assert.Equal(expected, BodyHash.Sha256Hex(body));
        }

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", BodyHash.Sha256Hex("abc"));
    }

    public void Dispose() => PlatformFixture.TryDelete(_spool);

    /// <summary>The rejected file holds exactly these events, each with a reason naming the check it broke.</summary>
    internal static void AssertRejected(string spool, params (Guid EventId, string Constraint)[] expected)
    {
        var lines = File.ReadAllLines(Path.Combine(spool, "rejected.jsonl"));
        var rejected = lines
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(r => (EventId: r.GetProperty("event").GetProperty("eventId").GetGuid(), Reason: r.GetProperty("reason").GetString()!))
            .OrderBy(r => r.EventId)
            .ToList();
        Assert.Equal(expected.Select(e => e.EventId).Order(), rejected.Select(r => r.EventId));
        foreach (var (eventId, constraint) in expected)
        {
            var reason = rejected.Single(r => r.EventId == eventId).Reason;
            Assert.StartsWith("23514: ", reason, StringComparison.Ordinal);
            Assert.Contains(constraint, reason, StringComparison.Ordinal);
        }
    }
}

using Microsoft.Extensions.Options;

namespace SiteCraft.Ml.IntegrationTests.Telemetry;

/// <summary>Settings that cannot work stop the start, naming the setting.</summary>
public sealed class TelemetryOptionsTests : IDisposable
{
    // Never opened: these hosts fail or idle before the writer needs the database.
    private const string UnusedDatabase = "Host=127.0.0.1;Port=1;Database=unused;Username=unused";

    private readonly string _spool = Directory.CreateTempSubdirectory("sitecraft-spool-").FullName;

    [Theory]
    [InlineData("ChannelCapacity", "0")]
    [InlineData("MaxBatchSize", "-1")]
    [InlineData("FlushInterval", "00:00:00")]
    [InlineData("RetryMaxDelay", "00:00:00.010")]
    public async Task A_setting_out_of_range_fails_the_start_naming_it(string setting, string value)
    {
        var settings = new Dictionary<string, string?> { [$"Telemetry:{setting}"] = value };

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => WriterHost.StartAsync(UnusedDatabase, _spool, settings));

        Assert.Contains(setting, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_writers_cannot_share_a_spool_directory()
    {
        await using var first = await WriterHost.StartAsync(UnusedDatabase, _spool);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => WriterHost.StartAsync(UnusedDatabase, _spool));

        Assert.Contains($"Telemetry:SpoolDirectory '{_spool}'", refused.Message, StringComparison.Ordinal);
        Assert.True(first.Sink.TryRecord(SampleEvents.Minimal(0)), "the first writer still takes events");
    }

    public void Dispose() => PlatformFixture.TryDelete(_spool);
}

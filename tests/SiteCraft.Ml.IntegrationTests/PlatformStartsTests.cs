namespace SiteCraft.Ml.IntegrationTests;

[Collection(PlatformTestGroup.Name)]
public sealed class PlatformStartsTests(PlatformFixture platform, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Migrator_exits_with_code_zero()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var finished = await platform.App.ResourceNotifications.WaitForResourceAsync(
            "migrator", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
        output.WriteLine(PlatformFixture.TailOf(platform.Logs.Where(l => l.StartsWith("[migrator]", StringComparison.Ordinal)), 40));
        Assert.Equal(0, finished.Snapshot.ExitCode);
    }
}

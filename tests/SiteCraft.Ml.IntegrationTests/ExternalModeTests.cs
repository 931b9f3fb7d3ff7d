using System.Collections.Concurrent;

namespace SiteCraft.Ml.IntegrationTests;

/// <summary>An already-running server (here: a fresh database on the platform's local server) in external mode.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class ExternalModeTests(PlatformFixture platform, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task External_mode_migrates_and_serves_from_an_existing_server()
    {
        var connectionString = await TestDatabases.CreateAsync(platform, "external");
        var logs = new ConcurrentQueue<string>();
        await using var app = await PlatformFixture.StartAsync(
            ["--Postgres:Mode=external", $"--ConnectionStrings:sitecraft={connectionString}"], logs);

        using var timeout = new CancellationTokenSource(PlatformFixture.StartTimeout);
        try
        {
            var migrator = await app.ResourceNotifications.WaitForResourceAsync(
                "migrator", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("inference", timeout.Token);
            Assert.Equal(0, migrator.Snapshot.ExitCode);
        }
        finally
        {
            output.WriteLine(PlatformFixture.TailOf(logs, 60));
        }

        await using var db = new NpgsqlDataSourceOwner(connectionString);
        Assert.True(await db.ScalarAsync<long>("select count(*) from sitecraft_schema_migrations") >= 6);
        var model = (DistributedApplicationModel)app.Services.GetService(typeof(DistributedApplicationModel))!;
        Assert.DoesNotContain(model.Resources, r => r.Name == "postgres");
    }
}

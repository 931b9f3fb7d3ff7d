using Microsoft.Extensions.DependencyInjection;
using SiteCraft.Ml.Migrator.Migrations;

namespace SiteCraft.Ml.IntegrationTests;

[Collection(PlatformTestGroup.Name)]
public sealed class DatabaseResetTests(PlatformFixture platform)
{
    [Fact]
    public async Task Reset_database_command_drops_everything_and_migrates_again()
    {
        await using var db = await platform.OpenDatabaseAsync();
        await db.ScalarAsync<int>("create table reset_marker (id int)");
        var expectedScripts = MigrationCatalog.Load(Path.Combine(AppContext.BaseDirectory, "db"), "development").Scripts.Count;

        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync("sitecraft", "reset-database");

        Assert.True(result.Success, result.Message);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            timeout.Token.ThrowIfCancellationRequested();
            await using var fresh = await platform.OpenDatabaseAsync();
            var markerGone = await fresh.ScalarAsync<string>("select to_regclass('reset_marker')::text") is null;
            var migrated = await fresh.ScalarAsync<string>("select to_regclass('sitecraft_schema_migrations')::text") is not null
                && await fresh.ScalarAsync<long>("select count(*) from sitecraft_schema_migrations") == expectedScripts;
            if (markerGone && migrated)
            {
                break;
            }

            await Task.Delay(250, timeout.Token);
        }

        var migrator = await platform.App.ResourceNotifications.WaitForResourceAsync(
            "migrator", e => e.Snapshot.State?.Text == KnownResourceStates.Finished, timeout.Token);
        Assert.Equal(0, migrator.Snapshot.ExitCode);
    }
}

using Microsoft.Extensions.DependencyInjection;
using static SiteCraft.Ml.IntegrationTests.Inference.InferenceScope;

namespace SiteCraft.Ml.IntegrationTests.Inference;

[Collection(PlatformTestGroup.Name)]
public sealed class DatabaseOutageTests(PlatformFixture platform)
{
    private const string UseCase = "site.seo.meta";

    [Fact]
    public async Task With_the_database_stopped_requests_are_served_and_every_attempt_lands_once_it_returns()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")]);
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var before = await SendAsync(scope, 10, "before");
        var stop = await commands.ExecuteCommandAsync("postgres", KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(stop.Success, stop.Message);
        await platform.App.ResourceNotifications.WaitForResourceAsync(
            "postgres", e => e.Snapshot.State?.Text is "Exited" or "Finished" or "Stopped" || e.Snapshot.ExitCode is not null, timeout.Token);

        // Served from the cached policy; telemetry goes to the spool.
        var during = await SendAsync(scope, 25, "during");

        var start = await commands.ExecuteCommandAsync("postgres", KnownResourceCommands.StartCommand, timeout.Token);
        Assert.True(start.Success, start.Message);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("postgres", timeout.Token);
        var after = await SendAsync(scope, 5, "after");

        var expected = before + during + after;
        var rows = await WaitForRowsAsync(scope, expected, TimeSpan.FromSeconds(60));
        Assert.True(expected == rows.Count,
            $"{rows.Count} of {expected} rows; spool: {SpoolListing()}; inference said:\n"
            + string.Join('\n', platform.Logs.Where(l => l.StartsWith("[inference]", StringComparison.Ordinal) && !l.StartsWith("[inference] state", StringComparison.Ordinal)).TakeLast(80)));
        Assert.Equal(expected, rows.Select(r => r.GenerationId).Distinct().Count());
        Assert.All(rows, r => Assert.Equal("ok", r.Status));
    }

    private static string SpoolListing() => Directory.Exists(PlatformFixture.SpoolDirectory)
        ? string.Join(", ", Directory.EnumerateFiles(PlatformFixture.SpoolDirectory, "*", SearchOption.AllDirectories).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length} B"))
        : "(no spool directory)";

    private static async Task<int> SendAsync(InferenceScope scope, int count, string phase)
    {
        for (var i = 0; i < count; i++)
        {
            var response = await scope.Client.GenerateAsync(scope.Request(UseCase, $"{phase} {i}"), deadline: DateTime.UtcNow.AddSeconds(10));
            Assert.Equal($"echo: {phase} {i}", response.Text);
        }

        return count;
    }

    private static async Task<List<EventRow>> WaitForRowsAsync(InferenceScope scope, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var rows = await scope.EventsAsync();
                if (rows.Count >= count || DateTime.UtcNow > deadline)
                {
                    return rows;
                }
            }
            catch (Npgsql.NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                // The pool may still hold connections from before the restart.
            }

            await Task.Delay(200);
        }
    }
}

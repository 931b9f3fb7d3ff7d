using System.Net;
using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace SiteCraft.Ml.IntegrationTests;

[Collection(PlatformTestGroup.Name)]
public sealed class PlatformStartsTests(PlatformFixture platform, Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<string> Services => new(PlatformFixture.Services);

    [Fact]
    public async Task Migrator_exits_with_code_zero()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var finished = await platform.App.ResourceNotifications.WaitForResourceAsync(
            "migrator", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
        output.WriteLine(PlatformFixture.TailOf(platform.Logs.Where(l => l.StartsWith("[migrator]", StringComparison.Ordinal)), 40));
        Assert.Equal(KnownResourceStates.Finished, finished.Snapshot.State?.Text);
        Assert.Equal(0, finished.Snapshot.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Service_is_ready_with_its_database_check_and_alive_over_http(string service)
    {
        using var http = platform.App.CreateHttpClient(service, "http");
        http.Timeout = TimeSpan.FromSeconds(10);

        var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
        var alive = await http.GetAsync(new Uri("/alive", UriKind.Relative));
        using var healthReport = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        using var aliveReport = JsonDocument.Parse(await alive.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains(CheckNames(healthReport), name => name.StartsWith("PostgreSql", StringComparison.Ordinal));
        // Every check is healthy: development routes to the committed local model, which needs no key.
        foreach (var check in healthReport.RootElement.GetProperty("checks").EnumerateArray())
        {
            var name = check.GetProperty("name").GetString();
            Assert.True(check.GetProperty("status").GetString() == "Healthy", $"{service} check {name}: {check}");
        }
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(["self"], CheckNames(aliveReport));
    }

    private static List<string> CheckNames(JsonDocument report) =>
        [.. report.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Service_answers_grpc_health_over_h2c(string service)
    {
        using var channel = GrpcChannel.ForAddress(platform.App.GetEndpoint(service, "grpc"));
        var client = new Health.HealthClient(channel);

        var reply = await client.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Service_lists_the_use_case_catalog(string service)
    {
        using var http = platform.App.CreateHttpClient(service, "http");

        using var catalog = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/use-cases", UriKind.Relative)));
        var ids = catalog.RootElement.EnumerateArray().Select(u => u.GetProperty("id").GetString()).ToList();
        var schema = await http.GetAsync(new Uri("/api/use-cases/site.page.json/schema", UriKind.Relative));

        Assert.Equal(["site.page.json", "site.section.copy", "site.seo.meta"], ids);
        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
        Assert.Equal("application/schema+json", schema.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Services_get_the_same_database_variables_in_local_mode_as_the_container_mode_manifest()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = await platform.App.ResourceNotifications.WaitForResourceAsync(
            "inference", e => e.Snapshot.State?.Text == KnownResourceStates.Running, timeout.Token);
        using var manifest = JsonDocument.Parse(await ManifestTests.PublishAsync());

        var local = running.Snapshot.EnvironmentVariables.Select(v => v.Name).Where(IsDatabaseVariable).Order().ToList();
        var container = manifest.RootElement.GetProperty("resources").GetProperty("inference").GetProperty("env")
            .EnumerateObject().Select(p => p.Name).Where(IsDatabaseVariable).Order().ToList();

        Assert.Contains("ConnectionStrings__sitecraft", local);
        Assert.Equal(container, local);
    }

    private static bool IsDatabaseVariable(string name) =>
        name.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
        || (name.StartsWith("SITECRAFT_", StringComparison.Ordinal) && name != "SITECRAFT_ENVIRONMENT");

    [Fact]
    public async Task Schema_has_every_table_and_view_the_platform_needs()
    {
        await using var db = await platform.OpenDatabaseAsync();

        var tables = await db.StringsAsync(
            "select table_name from information_schema.tables where table_schema = 'public' and table_type in ('BASE TABLE', 'VIEW')");

        string[] expected =
        [
            "ai_training_examples", "ai_training_quarantine", "ai_data_contracts", "ai_dataset_snapshots",
            "ai_eval_suites", "ai_eval_cases", "ai_eval_runs", "ai_eval_samples", "ai_eval_gates",
            "ai_eval_run_summary", "ai_eval_latest_gates",
            "ai_providers", "ai_provider_settings", "ai_models", "ai_routing_policies", "ai_routing_active", "ai_routing_events",
            "ai_generation_events", "ai_generation_scores", "ai_generation_score_summary",
            "ai_model_artifacts", "sitecraft_schema_migrations",
        ];
        Assert.Empty(expected.Except(tables));
    }

    [Fact]
    public async Task Generation_events_are_partitioned_by_month_with_a_default_partition()
    {
        await using var db = await platform.OpenDatabaseAsync();

        var partitions = await db.StringsAsync(
            "select c.relname::text from pg_inherits i join pg_class c on c.oid = i.inhrelid "
            + "where i.inhparent = 'ai_generation_events'::regclass");
        var thisMonth = $"ai_generation_events_y{DateTime.UtcNow:yyyy}m{DateTime.UtcNow:MM}";

        Assert.Contains("ai_generation_events_default", partitions);
        Assert.Contains(thisMonth, partitions);
    }

    [Fact]
    public async Task Development_overlay_routes_every_use_case_to_the_local_model()
    {
        await using var db = await platform.OpenDatabaseAsync();

        var routed = await db.StringsAsync(
            "select a.use_case || ' -> ' || (p.arms -> 0 ->> 'provider') from ai_routing_active a "
            + "join ai_routing_policies p on p.policy_id = a.policy_id where a.environment = 'development' order by 1");

        Assert.Equal(
            ["site.page.json -> sitecraft-local", "site.section.copy -> sitecraft-local", "site.seo.meta -> sitecraft-local"],
            routed);
    }
}

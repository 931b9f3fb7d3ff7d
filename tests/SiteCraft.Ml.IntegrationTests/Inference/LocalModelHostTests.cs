using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using SiteCraft.Ml.Inference.Providers.Local;
using SiteCraft.Ml.LocalModel.Serving;

namespace SiteCraft.Ml.IntegrationTests.Inference;

/// <summary>The local provider's artifacts against a real, freshly migrated database.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class LocalModelHostTests(PlatformFixture platform) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sitecraft-artifacts-").FullName;

    [Fact]
    public async Task The_shipped_artifact_is_registered_with_its_hashes_and_served_on_a_fresh_database()
    {
        await using var db = NpgsqlDataSource.Create(await MigratedDatabase.CreateAsync(platform, "local_host"));
        LocalArtifacts.Write(Path.Combine(_root, "sitecraft-base", "1"), seed: 1);
        var host = Host(db);

        await host.RegisterBundledAsync(CancellationToken.None);
        await host.RegisterBundledAsync(CancellationToken.None);
        await host.RefreshAsync(CancellationToken.None);

        Assert.Null(host.Problem);
        Assert.Equal("sitecraft-base@1", host.ActiveModelId);
        await using var command = db.CreateCommand("select status, path, jsonb_array_length(files), files -> 0 ->> 'sha256' from ai_model_artifacts");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("active", "sitecraft-base/1", 3), (reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        Assert.Matches("^[0-9a-f]{64}$", reader.GetString(3));
        Assert.False(await reader.ReadAsync());

        using var client = new LocalChatClient(host.Resolve, "sitecraft-base@1");
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "bakery")], new ChatOptions { MaxOutputTokens = 8 });
        Assert.Equal("sitecraft-base@1", response.ModelId);
        Assert.InRange(response.Usage!.OutputTokenCount!.Value, 1, 8);
    }

    [Fact]
    public async Task A_corrupt_active_artifact_disables_the_provider_with_the_reason()
    {
        await using var db = NpgsqlDataSource.Create(await MigratedDatabase.CreateAsync(platform, "local_corrupt"));
        var directory = LocalArtifacts.Write(Path.Combine(_root, "sitecraft-base", "1"), seed: 1);
        var host = Host(db);
        await host.RegisterBundledAsync(CancellationToken.None);

        // Cut the weights short after registration: the registered hash no longer matches.
        var weights = Path.Combine(directory, "model.safetensors");
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..100]);
        await host.RefreshAsync(CancellationToken.None);

        Assert.NotNull(host.Problem);
        Assert.Contains("sitecraft-base@1", host.Problem, StringComparison.Ordinal);
        Assert.Contains("model.safetensors: sha256", host.Problem, StringComparison.Ordinal);
        var error = Assert.Throws<LocalModelUnavailableException>(() => host.Resolve("sitecraft-base@1"));
        Assert.Contains("sha256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Weights_that_disagree_with_the_config_are_named_even_when_the_hashes_match()
    {
        await using var db = NpgsqlDataSource.Create(await MigratedDatabase.CreateAsync(platform, "local_shape"));
        var directory = LocalArtifacts.Write(Path.Combine(_root, "sitecraft-base", "1"), seed: 1);
        // A config from a wider model, written before registration so its hash is the registered one.
        var config = await File.ReadAllTextAsync(Path.Combine(directory, "config.json"));
        await File.WriteAllTextAsync(Path.Combine(directory, "config.json"), config.Replace("\"hidden_size\": 16", "\"hidden_size\": 32", StringComparison.Ordinal));
        var host = Host(db);
        await host.RegisterBundledAsync(CancellationToken.None);

        await host.RefreshAsync(CancellationToken.None);

        Assert.NotNull(host.Problem);
        Assert.Contains("model.embed_tokens.weight", host.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promoting_another_artifact_switches_new_calls_and_finishes_calls_in_flight_on_the_old_one()
    {
        await using var db = NpgsqlDataSource.Create(await MigratedDatabase.CreateAsync(platform, "local_promote"));
        LocalArtifacts.Write(Path.Combine(_root, "sitecraft-base", "1"), seed: 1);
        var host = Host(db);
        await host.RegisterBundledAsync(CancellationToken.None);
        await host.RefreshAsync(CancellationToken.None);
        using var client = new LocalChatClient(host.Resolve, "sitecraft-base@1");

        await using var inFlight = client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "bakery")], new ChatOptions { MaxOutputTokens = 40 }).GetAsyncEnumerator();
        Assert.True(await inFlight.MoveNextAsync());

        var v2 = LocalArtifacts.Write(Path.Combine(_root, "v2"), seed: 2);
        await using (var batch = db.CreateBatch())
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("update ai_model_artifacts set status = 'retired' where status = 'active'"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                insert into ai_model_artifacts (name, version, path, files, status, activated_at)
                values ('sitecraft-base', '2', $1, '[{"name": "config.json"}]', 'active', now())
                """) { Parameters = { new() { Value = v2 } } });
            await batch.ExecuteNonQueryAsync();
        }

        await host.RefreshAsync(CancellationToken.None);
        Assert.Equal("sitecraft-base@2", host.ActiveModelId);

        var updates = new List<ChatResponseUpdate> { inFlight.Current };
        while (await inFlight.MoveNextAsync())
        {
            updates.Add(inFlight.Current);
        }

        Assert.All(updates, u => Assert.Equal("sitecraft-base@1", u.ModelId));
        Assert.NotNull(updates[^1].FinishReason);
        var next = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "bakery")], new ChatOptions { MaxOutputTokens = 4 });
        Assert.Equal("sitecraft-base@2", next.ModelId);
    }

    [Fact]
    public async Task A_registered_candidate_named_exactly_is_served_while_others_get_the_active_model()
    {
        await using var db = NpgsqlDataSource.Create(await MigratedDatabase.CreateAsync(platform, "local_candidate"));
        LocalArtifacts.Write(Path.Combine(_root, "sitecraft-base", "1"), seed: 1);
        var candidate = LocalArtifacts.Write(Path.Combine(_root, "candidate"), seed: 3);
        var host = Host(db);
        await host.RegisterBundledAsync(CancellationToken.None);
        await using (var register = db.CreateCommand("""
            insert into ai_model_artifacts (name, version, path, files) values ('sitecraft-base', 'rc1', $1, '[{"name": "config.json"}]')
            """))
        {
            register.Parameters.AddWithValue(candidate);
            await register.ExecuteNonQueryAsync();
        }

        await host.RefreshAsync(CancellationToken.None);

        Assert.Equal("sitecraft-base@rc1", host.Resolve("sitecraft-base@rc1").ModelId);
        Assert.Equal("sitecraft-base@1", host.Resolve("sitecraft-base@0").ModelId);
        Assert.Equal("sitecraft-base@1", host.ActiveModelId);
    }

    [Fact]
    public async Task A_database_with_no_artifact_and_nothing_shipped_says_so()
    {
        await using var db = NpgsqlDataSource.Create(await MigratedDatabase.CreateAsync(platform, "local_none"));
        var host = Host(db);

        await host.RegisterBundledAsync(CancellationToken.None);
        await host.RefreshAsync(CancellationToken.None);

        Assert.Equal("no active artifact for sitecraft-local in ai_model_artifacts", host.Problem);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private LocalModelHost Host(NpgsqlDataSource db) => new(
        db,
        Options.Create(new LocalModelOptions { ArtifactRoot = _root, MaxConcurrentSequences = 2, MaxQueued = 2 }),
        NullLogger<LocalModelHost>.Instance);
}

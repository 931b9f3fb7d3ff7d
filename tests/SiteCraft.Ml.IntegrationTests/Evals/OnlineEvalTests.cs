using SiteCraft.Ml.Evals.Data;

namespace SiteCraft.Ml.IntegrationTests.Evals;

/// <summary>The eval service's online evaluator on production generations in the real database.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class OnlineEvalTests(PlatformFixture platform)
{
    private const string ValidSeo = """{"title":"Rosa Bakery in Lisbon","description":"Fresh sourdough, pastel de nata and coffee every morning in the heart of Lisbon, baked by Rosa and her team."}""";

    [Fact]
    public async Task Online_eval_scores_the_hash_sampled_generations_once_with_the_use_cases_reference_free_assertions()
    {
        await using var db = await platform.OpenDatabaseAsync();
        var environment = $"test-online-{Guid.NewGuid():N}"[..20];
        var generations = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();
        for (var i = 0; i < generations.Count; i++)
        {
            await InsertEventAsync(db, environment, generations[i], i % 2 == 0 ? ValidSeo : "not json at all");
        }

        var sampled = generations.Where(g => OnlineEvaluator.IsSampled(g, PlatformFixture.OnlineSampleRate)).ToHashSet();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> scored;
        do
        {
            await Task.Delay(500);
            scored = await ScoredAsync(db, environment);
        }
        while (scored.Count < sampled.Count && DateTime.UtcNow < deadline);

        // Two more passes of the evaluator: nothing else is scored and nothing is scored twice.
        await Task.Delay(2500);
        scored = await ScoredAsync(db, environment);

        Assert.InRange(sampled.Count, 8, 32);
        Assert.Equal(sampled.Select(g => g.ToString()).Order(StringComparer.Ordinal), scored.Order(StringComparer.Ordinal));
        var valid = generations.Where((g, i) => i % 2 == 0 && sampled.Contains(g)).Select(g => g.ToString()).ToList();
        var invalid = generations.Where((g, i) => i % 2 == 1 && sampled.Contains(g)).Select(g => g.ToString()).ToList();
        foreach (var id in valid)
        {
            Assert.Equal(1.0, await db.ScalarAsync<double>(
                "select value from ai_generation_scores where generation_id = $1::uuid and name = 'is-json' and source = 'online-eval'", id));
        }

        foreach (var id in invalid)
        {
            Assert.Equal(0.0, await db.ScalarAsync<double>(
                "select value from ai_generation_scores where generation_id = $1::uuid and name = 'json-schema' and source = 'online-eval'", id));
        }

        // The roll-up view counts them for today (other tests may add more).
        var summarized = await db.ScalarAsync<long>(
            """
            select coalesce(sum(score_count), 0)::bigint from ai_eval_online_summary
            where use_case = 'site.seo.meta' and name = 'score' and day = (now() at time zone 'UTC')::date
            """);
        Assert.True(summarized >= sampled.Count, $"{summarized} scores rolled up, {sampled.Count} expected at least");
    }

    [Fact]
    public async Task The_database_picks_the_same_sample_as_the_evaluator_code()
    {
        await using var db = await platform.OpenDatabaseAsync();
        foreach (var id in Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()))
        {
            var inSql = await db.ScalarAsync<bool>("select ('x' || substr(encode(sha256(convert_to($1::uuid::text, 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint < $2", id.ToString(), 0.3 * 4294967296.0);
            Assert.Equal(OnlineEvaluator.IsSampled(id, 0.3), inSql);
        }
    }

    private static async Task<List<string>> ScoredAsync(NpgsqlDataSourceOwner db, string environment) =>
        await db.StringsAsync(
            $"""
            select distinct s.generation_id::text from ai_generation_scores s
            where s.source = 'online-eval' and s.name = 'score'
              and exists (select 1 from ai_generation_events e where e.generation_id = s.generation_id and e.environment = '{environment}')
            """);

    private static async Task InsertEventAsync(NpgsqlDataSourceOwner db, string environment, Guid generation, string completion)
    {
        await using var command = db.DataSource.CreateCommand(
            """
            insert into ai_generation_events (event_id, generation_id, attempt, environment, use_case, provider, request_model, status,
                                              started_at, completed_at, latency_ms, completion, consent)
            values (gen_random_uuid(), $1, 1, $2, 'site.seo.meta', 'test-openai', 'echo', 'ok', now(), now(), 120, $3, true)
            """);
        command.Parameters.AddWithValue(generation);
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(completion);
        await command.ExecuteNonQueryAsync();
    }
}

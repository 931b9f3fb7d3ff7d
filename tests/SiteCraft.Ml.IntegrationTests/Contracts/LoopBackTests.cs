using Microsoft.Extensions.Time.Testing;
using SiteCraft.Ml.Contracts.Data.Ingest;
using SiteCraft.Ml.Contracts.Data.LoopBack;
using SiteCraft.Ml.IntegrationTests.Telemetry;

namespace SiteCraft.Ml.IntegrationTests.Contracts;

/// <summary>Production generations looping back into training data through curation.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class LoopBackTests(PlatformFixture platform)
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Only_consented_successful_well_scored_generations_become_training_records_once()
    {
        await using var db = new NpgsqlDataSourceOwner(await TelemetryDatabase.CreateAsync(platform));
        var contract = await TrainingIngestorTests.RegisteredContractAsync(db.DataSource);
        var good = await GenerationAsync(db, scores: [0.9, 1.0]);
        var withPii = await GenerationAsync(db, scores: [0.95], completion: $"{TrainingRecordFactory.Prose(Random.Shared.Next(), 60)} Call us on (415) 555-0132.");
        var lowScore = await GenerationAsync(db, scores: [0.9, 0.2]);
        var unscored = await GenerationAsync(db, scores: []);
        var noConsent = await GenerationAsync(db, scores: [1.0], consent: false);
        var failed = await GenerationAsync(db, scores: [1.0], status: "error");
        var staging = await GenerationAsync(db, scores: [1.0], environment: "staging");
        var tooOld = await GenerationAsync(db, scores: [1.0], startedAt: s_now.AddDays(-45));
        var badPrompt = await GenerationAsync(db, scores: [1.0], prompt: "user: not the JSON the inference service writes");
        var loopBack = new ProductionLoopBack(db.DataSource, new TrainingIngestor(db.DataSource), new FakeTimeProvider(s_now));
        var options = new LoopBackOptions { BatchSize = 2 };

        var first = await loopBack.RunOnceAsync(contract, options, CancellationToken.None);
        var second = await loopBack.RunOnceAsync(contract, options, CancellationToken.None);

        Assert.Equal(new LoopBackResult(3, 2, 1, 0), first);
        Assert.Equal(new LoopBackResult(0, 0, 0, 0), second);
        var stored = await db.StringsAsync("select id::text from ai_training_examples order by id");
        Assert.Equal(new[] { good, withPii }.Select(g => g.ToString()).Order(), stored);
        Assert.Equal("generation", await db.ScalarAsync<string>("select source from ai_training_examples where id = $1", good));
        Assert.Equal(0.95, await db.ScalarAsync<double>("select (quality_signals->>'online_score')::float8 from ai_training_examples where id = $1", good));
        Assert.Equal("user", await db.ScalarAsync<string>("select messages->1->>'role' from ai_training_examples where id = $1", good));
        Assert.DoesNotContain("555-0132", await db.ScalarAsync<string>("select completion from ai_training_examples where id = $1", withPii));
        Assert.Equal("quarantined", await db.ScalarAsync<string>("select outcome from ai_training_loopback where generation_id = $1", badPrompt));
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from ai_training_quarantine where record_id = $1", badPrompt.ToString()));
        foreach (var left in new[] { lowScore, unscored, noConsent, failed, staging, tooOld })
        {
            Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from ai_training_loopback where generation_id = $1", left));
        }
    }

    [Fact]
    public async Task A_generation_scored_after_a_run_is_taken_by_the_next_one()
    {
        await using var db = new NpgsqlDataSourceOwner(await TelemetryDatabase.CreateAsync(platform));
        var contract = await TrainingIngestorTests.RegisteredContractAsync(db.DataSource);
        var generation = await GenerationAsync(db, scores: []);
        var loopBack = new ProductionLoopBack(db.DataSource, new TrainingIngestor(db.DataSource), new FakeTimeProvider(s_now));

        var before = await loopBack.RunOnceAsync(contract, new LoopBackOptions(), CancellationToken.None);
        await ScoreAsync(db, generation, "site.page.valid_json", 1.0);
        var after = await loopBack.RunOnceAsync(contract, new LoopBackOptions(), CancellationToken.None);

        Assert.Equal(0, before.Considered);
        Assert.Equal(1, after.Accepted);
    }

    private static async Task<Guid> GenerationAsync(
        NpgsqlDataSourceOwner db, double[] scores, string? completion = null, bool consent = true, string status = "ok",
        string environment = "prod", DateTimeOffset? startedAt = null, string? prompt = null)
    {
        var generation = Guid.NewGuid();
        await db.ScalarAsync<object>("""
            insert into ai_generation_events (event_id, generation_id, attempt, environment, tenant_id, site_id, use_case, provider, status, started_at, consent, prompt, completion)
            values (gen_random_uuid(), $1, 1, $2, 'tenant-1', 'site-1', 'site.section.copy', 'test-openai', $3, $4, $5, $6, $7)
            """,
            generation, environment, status, startedAt ?? s_now.AddHours(-1), consent,
            consent ? prompt ?? """[{"role":"system","content":"You write warm, concise website copy."},{"role":"user","content":"Hero copy for a bakery in Lyon."}]""" : DBNull.Value,
            consent ? completion ?? TrainingRecordFactory.Prose(Random.Shared.Next(), 60) : DBNull.Value);
        for (var i = 0; i < scores.Length; i++)
        {
            await ScoreAsync(db, generation, $"score-{i}", scores[i]);
        }

        return generation;
    }

    private static async Task ScoreAsync(NpgsqlDataSourceOwner db, Guid generation, string name, double value) =>
        await db.ScalarAsync<object>("insert into ai_generation_scores (generation_id, name, value, data_type, source) values ($1, $2, $3, 'numeric', 'online-eval')", generation, name, value);
}

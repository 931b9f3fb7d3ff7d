using System.Text;
using System.Text.Json.Nodes;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Core.Scoring;
using SiteCraft.Ml.Evals.Data;
using SiteCraft.Ml.Inference.V1;
using SiteCraft.Ml.IntegrationTests.Inference;

namespace SiteCraft.Ml.IntegrationTests.Evals;

/// <summary>The eval data plane against the real database: exact text, export, nightly slots.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class EvalStoreTests(PlatformFixture platform)
{
    public static readonly string[] HostileOutputs =
    [
        "it's \"quoted\" and back\\slashed",
        "nul\0inside",
        "$$ dollar $tag$ quoting $$",
        "lone high \uD800 and lone low \uDC00 surrogates",
        "emoji 🎉 and a pair \uD83D\uDE00",
        "'; drop table ai_eval_samples; --",
        "line\nbreaks\r\nand\ttabs",
        new string('x', 100_000),
        "\\0 looks escaped but is not",
    ];

    [Fact]
    public async Task Hostile_outputs_and_errors_round_trip_through_the_database_and_the_export_unchanged()
    {
        var connection = await MigratedDatabase.CreateAsync(platform, "evalstore");
        await using var db = new NpgsqlDataSourceOwner(connection);
        var store = new EvalStore(db.DataSource);
        var catalog = SuiteCatalog.Load(PlatformFixture.EvalSuitesDirectory);
        var suite = catalog.Get(EvalScope.CopySuite);
        await store.SyncSuitesAsync([suite]);
        var run = await store.CreateRunAsync(suite, EvalTarget.Create("development", "p", "m"), 1, null, new JsonObject(), new JsonObject(), null);
        var written = HostileOutputs.Select((output, i) => new EvalSample(
            suite.Cases[i].Id, 0, output, i % 2 == 0, 0.5, new Dictionary<string, AssertionResult> { ["contains"] = new("contains", true, 1, "reason with \0 NUL") },
            null, 12.5, 0.00001m, 10, 20, false)).ToList();
        written.Add(new EvalSample(suite.Cases[^1].Id, 0, null, null, null, new Dictionary<string, AssertionResult>(), "UNAVAILABLE: \0 and \uDBFF", null, null, null, null, false));

        foreach (var sample in written)
        {
            Assert.True(await store.InsertSampleAsync(run.RunId, sample));
            Assert.False(await store.InsertSampleAsync(run.RunId, sample));
        }

        var read = await store.LoadSamplesAsync(run.RunId);
        using var export = new MemoryStream();
        var exported = await EvalExport.WriteJsonlAsync(db.DataSource, new EvalExportFilter(RunId: run.RunId), export, CancellationToken.None);
        var lines = Encoding.UTF8.GetString(export.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();

        Assert.Equal(written.Count, read.Count);
        foreach (var sample in written)
        {
            var back = Assert.Single(read, r => r.CaseId == sample.CaseId);
            Assert.Equal(sample.Output, back.Output);
            Assert.Equal(sample.Error, back.Error);
            Assert.Equal(sample.Passed, back.Passed);
        }

        Assert.Equal(written.Count, exported);
        var nul = Assert.Single(lines, l => l["case_id"]!.GetValue<string>() == suite.Cases[1].Id);
        Assert.True(nul["escaped"]!.GetValue<bool>());
        Assert.Equal("nul\0inside", SiteCraft.Ml.Evals.Core.Reports.TextCodec.Unescape(nul["output"]!.GetValue<string>()));
        Assert.False(Assert.Single(lines, l => l["case_id"]!.GetValue<string>() == suite.Cases[0].Id)["escaped"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Two_replicas_starting_the_same_nightly_slot_start_it_once()
    {
        await using var scope = await EvalScope.CreateAsync(platform, models: "echo");
        using var channel = GrpcChannel.ForAddress(platform.App.GetEndpoint("inference", "grpc"));
        var nightly = new NightlyOptions { Suites = [EvalScope.CopySuite], Environment = scope.Environment, Targets = [$"{InferenceScope.OpenAIProvider}/echo"] };
        NightlyRuns Replica()
        {
            var options = new EvalRunOptions();
            var store = new EvalStore(scope.Inference.Db.DataSource);
            var suites = SuiteCatalog.Load(PlatformFixture.EvalSuitesDirectory);
            var runner = new EvalRunner(
                store, suites,
                new InferenceCaller(new GenerationService.GenerationServiceClient(channel), scope.Inference.AdminToken), new ProviderLimits(options), options,
                NullLogger<EvalRunner>.Instance);
            return new NightlyRuns(runner, store, suites, nightly, NullLogger<NightlyRuns>.Instance);
        }

        var slot = $"test:{Guid.NewGuid():N}";
        var started = await Task.WhenAll(Replica().StartAsync(slot, "replica-a", CancellationToken.None), Replica().StartAsync(slot, "replica-b", CancellationToken.None));
        var later = await Replica().StartAsync(slot, "replica-c", CancellationToken.None);

        Assert.Equal(1, started.Sum(s => s.Count));
        Assert.Empty(later);
        Assert.Equal(1L, await scope.Inference.Db.ScalarAsync<long>("select count(*) from ai_eval_runs where metadata->>'nightly_slot' = $1", slot));
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Data.Ingest;
using SiteCraft.Ml.Contracts.Data.Registry;
using SiteCraft.Ml.IntegrationTests.Telemetry;

namespace SiteCraft.Ml.IntegrationTests.Contracts;

/// <summary>The ingest data plane on a database of its own: atomic chunks and dedup across processes.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class TrainingIngestorTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_chunk_the_database_fails_applies_nothing_and_the_same_chunk_lands_whole_when_sent_again()
    {
        await using var db = new NpgsqlDataSourceOwner(await TelemetryDatabase.CreateAsync(platform));
        var contract = await RegisteredContractAsync(db.DataSource);
        await ExecuteAsync(db.DataSource, """
            create function fail_marked() returns trigger language plpgsql as $$
            begin raise exception 'refused by the test trigger'; end $$;
            create trigger fail_marked before insert on ai_training_examples
                for each row when (new.completion like '%FAIL-THIS-ROW%') execute function fail_marked();
            """);
        var chunk = Enumerable.Range(0, 5).Select(_ => TrainingRecordFactory.Valid()).ToList();
        chunk[3] = TrainingRecordFactory.Valid($"{TrainingRecordFactory.Prose(Random.Shared.Next(), 50)} FAIL-THIS-ROW");
        var bad = TrainingRecordFactory.Valid();
        bad["consent"] = false;
        chunk.Add(bad);
        var bytes = chunk.Select(r => (ReadOnlyMemory<byte>)TrainingRecordFactory.Bytes(r)).ToList();
        var ingestor = new TrainingIngestor(db.DataSource, NullLogger<TrainingIngestor>.Instance);

        var failure = await Assert.ThrowsAsync<PostgresException>(() => ingestor.IngestAsync(contract, "atomic", 0, bytes, CancellationToken.None));

        Assert.Contains("refused by the test trigger", failure.MessageText);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from ai_training_examples"));
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from ai_training_quarantine"));

        await ExecuteAsync(db.DataSource, "drop trigger fail_marked on ai_training_examples");
        var receipt = await ingestor.IngestAsync(contract, "atomic", 0, bytes, CancellationToken.None);

        Assert.Equal((5, 1, 0), (receipt.Accepted, receipt.Quarantined, receipt.Duplicates));
        Assert.Equal(5L, await db.ScalarAsync<long>("select count(*) from ai_training_examples"));
    }

    [Fact]
    public async Task Two_ingestors_on_one_database_find_each_others_duplicates()
    {
        await using var db = new NpgsqlDataSourceOwner(await TelemetryDatabase.CreateAsync(platform));
        var contract = await RegisteredContractAsync(db.DataSource);
        var prose = TrainingRecordFactory.Prose(Random.Shared.Next(), 120);
        var original = TrainingRecordFactory.Valid(prose);
        var exact = original.DeepClone().AsObject();
        exact["id"] = Guid.NewGuid().ToString();
        var near = TrainingRecordFactory.Valid(TrainingRecordFactory.NearCopy(prose));
        var first = new TrainingIngestor(db.DataSource);
        var second = new TrainingIngestor(db.DataSource);
        var warmUp = await second.IngestAsync(contract, null, 0, [TrainingRecordFactory.Bytes(TrainingRecordFactory.Valid())], CancellationToken.None);

        await first.IngestAsync(contract, null, 0, [TrainingRecordFactory.Bytes(original)], CancellationToken.None);
        var receipt = await second.IngestAsync(contract, null, 1, [TrainingRecordFactory.Bytes(exact), TrainingRecordFactory.Bytes(near)], CancellationToken.None);

        Assert.Equal(1, warmUp.Accepted);
        Assert.All(receipt.Records, r => Assert.Equal(RecordFate.Duplicate, r.Fate));
        Assert.All(receipt.Records, r => Assert.Equal(original["id"]!.GetValue<string>(), r.DuplicateOf));
        Assert.Equal(["dedup.exact", "dedup.near"], receipt.Records.Select(r => r.Decisions.Single().Rule));
        Assert.Equal(2L, await db.ScalarAsync<long>("select count(*) from ai_training_examples"));
        Assert.Equal(128 * 4, await db.ScalarAsync<int>("select length(minhash) from ai_training_examples where id = $1", Guid.Parse(original["id"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_record_id_stored_with_other_content_is_quarantined_naming_the_clash()
    {
        await using var db = new NpgsqlDataSourceOwner(await TelemetryDatabase.CreateAsync(platform));
        var contract = await RegisteredContractAsync(db.DataSource);
        var record = TrainingRecordFactory.Valid();
        var ingestor = new TrainingIngestor(db.DataSource);
        await ingestor.IngestAsync(contract, null, 0, [TrainingRecordFactory.Bytes(record)], CancellationToken.None);
        record["completion"] = TrainingRecordFactory.Prose(Random.Shared.Next(), 60);

        var receipt = await new TrainingIngestor(db.DataSource).IngestAsync(contract, null, 0, [TrainingRecordFactory.Bytes(record)], CancellationToken.None);

        var outcome = Assert.Single(receipt.Records);
        Assert.Equal(RecordFate.Quarantined, outcome.Fate);
        Assert.Equal("dedup.id", Assert.Single(outcome.Decisions).Rule);
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from ai_training_quarantine where reasons @> '[{\"rule\": \"dedup.id\"}]'"));
    }

    [Fact]
    public async Task Content_stored_around_the_ingest_lock_is_caught_by_the_tables_key_and_the_rest_of_the_chunk_lands()
    {
        await using var db = new NpgsqlDataSourceOwner(await TelemetryDatabase.CreateAsync(platform));
        var contract = await RegisteredContractAsync(db.DataSource);
        var record = TrainingRecordFactory.Valid();
        await new TrainingIngestor(db.DataSource).IngestAsync(contract, null, 0, [TrainingRecordFactory.Bytes(record)], CancellationToken.None);
        // A row no ingestor remembers: written by hand, outside any contract, with the same content.
        await ExecuteAsync(db.DataSource, "update ai_training_examples set contract_id = null, contract_version = null");
        var copy = record.DeepClone().AsObject();
        copy["id"] = Guid.NewGuid().ToString();
        var other = TrainingRecordFactory.Valid();

        var receipt = await new TrainingIngestor(db.DataSource).IngestAsync(contract, null, 0, [TrainingRecordFactory.Bytes(copy), TrainingRecordFactory.Bytes(other)], CancellationToken.None);

        Assert.Equal([RecordFate.Duplicate, RecordFate.Accepted], receipt.Records.Select(r => r.Fate));
        Assert.Equal(record["id"]!.GetValue<string>(), receipt.Records[0].DuplicateOf);
        Assert.Equal(2L, await db.ScalarAsync<long>("select count(*) from ai_training_examples"));
    }

    internal static async Task<DataContract> RegisteredContractAsync(NpgsqlDataSource dataSource)
    {
        var catalog = await ContractCatalog.LoadAsync(Path.Combine(AppContext.BaseDirectory, "contracts"), CancellationToken.None);
        var contract = catalog.Contracts.Single(c => c.Id == ContractsClient.Contract);
        await new ContractStore(dataSource).RegisterAsync(contract, CancellationToken.None);
        return contract;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}

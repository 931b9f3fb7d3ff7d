using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using SiteCraft.Ml.Contracts.V1;

namespace SiteCraft.Ml.IntegrationTests.Contracts;

/// <summary>Ingest through the contracts service's gRPC stream into the platform's database.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class IngestTests(PlatformFixture platform)
{
    [Fact]
    public async Task Each_chunk_is_answered_with_a_receipt_whose_counts_add_up_and_match_the_tables()
    {
        using var client = new ContractsClient(platform);
        var batch = $"batch-{Guid.NewGuid():N}";
        var good = TrainingRecordFactory.Valid(TrainingRecordFactory.Prose(Random.Shared.Next(), 80));
        var bad = TrainingRecordFactory.Valid();
        bad["consent"] = false;
        bad.Remove("created_at");
        var copy = good.DeepClone().AsObject();
        copy["id"] = Guid.NewGuid().ToString();
        var second = TrainingRecordFactory.Valid();

        var receipts = await client.IngestAsync(batch,
            [TrainingRecordFactory.Bytes(good), TrainingRecordFactory.Bytes(bad), TrainingRecordFactory.Bytes(copy)],
            [TrainingRecordFactory.Bytes(second)]);

        Assert.Equal([0L, 1L], receipts.Select(r => r.Chunk));
        Assert.Equal((3, 1, 1, 1), (receipts[0].Received, receipts[0].Accepted, receipts[0].Quarantined, receipts[0].Duplicates));
        Assert.Equal((1, 1), (receipts[1].Received, receipts[1].Accepted));
        Assert.Equal("ai_training_examples@1.0.0", receipts[0].Contract);
        Assert.Equal([RecordFate.Accepted, RecordFate.Quarantined, RecordFate.Duplicate], receipts[0].Records.Select(r => r.Fate));
        Assert.Equal(good["id"]!.GetValue<string>(), receipts[0].Records[2].DuplicateOf);
        var reasons = receipts[0].Records[1].Decisions.Select(d => (d.Rule, d.Field)).ToList();
        Assert.Contains(("contract.required", "created_at"), reasons);
        Assert.Contains(reasons, r => r.Field == "consent");

        await using var db = await platform.OpenDatabaseAsync();
        Assert.Equal(2L, await db.ScalarAsync<long>("select count(*) from ai_training_examples where id = any($1)",
            new[] { Guid.Parse(good["id"]!.GetValue<string>()), Guid.Parse(second["id"]!.GetValue<string>()), Guid.Parse(copy["id"]!.GetValue<string>()) }));
        var raw = await db.ScalarAsync<byte[]>("select raw_record from ai_training_quarantine where batch_id = $1", batch);
        Assert.Equal(TrainingRecordFactory.Bytes(bad), raw);
        Assert.Equal(receipts[0].Records[1].QuarantineId, await db.ScalarAsync<long>("select id from ai_training_quarantine where batch_id = $1", batch));
        Assert.True(await db.ScalarAsync<int>("select jsonb_array_length(reasons) from ai_training_quarantine where batch_id = $1", batch) >= 2);
    }

    [Fact]
    public async Task Sending_the_same_batch_again_adds_nothing()
    {
        using var client = new ContractsClient(platform);
        var batch = $"batch-{Guid.NewGuid():N}";
        var records = Enumerable.Range(0, 20).Select(_ => TrainingRecordFactory.Valid(TrainingRecordFactory.Prose(Random.Shared.Next(), 70))).ToList();
        records[3]["use_case"] = "site.unknown";
        records[7]["messages"] = new JsonArray();
        var chunk = records.Select(TrainingRecordFactory.Bytes).ToList();
        var ids = records.Select(r => Guid.Parse(r["id"]!.GetValue<string>())).ToArray();
        await using var db = await platform.OpenDatabaseAsync();

        var first = (await client.IngestAsync(batch, chunk)).Single();
        var examples = await db.ScalarAsync<long>("select count(*) from ai_training_examples where id = any($1)", ids);
        var quarantined = await db.ScalarAsync<long>("select count(*) from ai_training_quarantine where batch_id = $1", batch);
        var again = (await client.IngestAsync(batch, chunk)).Single();

        Assert.Equal((18, 2), (first.Accepted, first.Quarantined));
        Assert.Equal((0, 2, 18), (again.Accepted, again.Quarantined, again.Duplicates));
        Assert.Equal(first.Records.Where(r => r.QuarantineId != 0).Select(r => r.QuarantineId), again.Records.Where(r => r.QuarantineId != 0).Select(r => r.QuarantineId));
        Assert.Equal((18L, 2L), (examples, quarantined));
        Assert.Equal(examples, await db.ScalarAsync<long>("select count(*) from ai_training_examples where id = any($1)", ids));
        Assert.Equal(quarantined, await db.ScalarAsync<long>("select count(*) from ai_training_quarantine where batch_id = $1", batch));
    }

    [Fact]
    public async Task A_near_duplicate_sent_in_a_later_stream_is_found_against_what_is_stored()
    {
        using var client = new ContractsClient(platform);
        var prose = TrainingRecordFactory.Prose(Random.Shared.Next(), 120);
        var original = TrainingRecordFactory.Valid(prose);
        var near = TrainingRecordFactory.Valid(TrainingRecordFactory.NearCopy(prose));

        var first = (await client.IngestAsync("near-1", [TrainingRecordFactory.Bytes(original)])).Single();
        var second = (await client.IngestAsync("near-2", [TrainingRecordFactory.Bytes(near)])).Single();

        Assert.Equal(RecordFate.Accepted, first.Records[0].Fate);
        var receipt = second.Records[0];
        Assert.Equal(RecordFate.Duplicate, receipt.Fate);
        Assert.Equal(original["id"]!.GetValue<string>(), receipt.DuplicateOf);
        Assert.Equal("dedup.near", Assert.Single(receipt.Decisions).Rule);
    }

    [Fact]
    public async Task Pii_in_prose_is_redacted_before_it_is_stored_and_the_receipt_says_so()
    {
        using var client = new ContractsClient(platform);
        var prose = TrainingRecordFactory.Prose(Random.Shared.Next(), 60);
        var record = TrainingRecordFactory.Valid($"{prose} Write to jane.doe@example.com or call (415) 555-0132 today. <div style=\"color: #123456\">Open daily</div>");

        var receipt = (await client.IngestAsync("pii", [TrainingRecordFactory.Bytes(record)])).Single().Records[0];

        Assert.Equal(RecordFate.Accepted, receipt.Fate);
        Assert.Contains(receipt.Decisions, d => d.Rule == "pii.email" && d.Action == "redacted");
        Assert.Contains(receipt.Decisions, d => d.Rule == "pii.phone" && d.Action == "redacted");
        await using var db = await platform.OpenDatabaseAsync();
        var stored = await db.ScalarAsync<string>("select completion from ai_training_examples where id = $1", Guid.Parse(record["id"]!.GetValue<string>()));
        Assert.DoesNotContain("jane.doe@example.com", stored);
        Assert.DoesNotContain("555-0132", stored);
        Assert.Contains("color: #123456", stored);
        var curation = await db.ScalarAsync<string>("select curation::text from ai_training_examples where id = $1", Guid.Parse(record["id"]!.GetValue<string>()));
        Assert.Contains("pii.email", curation);
    }

    [Fact]
    public async Task A_hostile_corpus_ends_every_record_stored_or_quarantined_with_reasons_and_the_stream_goes_on()
    {
        using var client = new ContractsClient(platform);
        var batch = $"hostile-{Guid.NewGuid():N}";
        var corpus = HostileCorpus.Build();

        // Two 10 MB records do not fit one chunk's 16 MB: pack the corpus into chunks that do.
        var chunks = new List<List<byte[]>> { new() };
        foreach (var item in corpus)
        {
            if (chunks[^1].Sum(b => (long)b.Length) + item.Bytes.Length > 12 * 1024 * 1024)
            {
                chunks.Add([]);
            }

            chunks[^1].Add(item.Bytes);
        }

        var receipts = await client.IngestAsync(batch, [.. chunks, [TrainingRecordFactory.Bytes(TrainingRecordFactory.Valid())]]);

        var records = receipts.Take(chunks.Count).SelectMany(r => r.Records).ToList();
        Assert.Equal(corpus.Count, receipts.Take(chunks.Count).Sum(r => r.Received));
        Assert.All(receipts, r => Assert.Equal(r.Received, r.Accepted + r.Quarantined + r.Duplicates));
        for (var i = 0; i < corpus.Count; i++)
        {
            var record = records[i];
            Assert.True(corpus[i].Expected == record.Fate, $"{corpus[i].Name}: expected {corpus[i].Expected}, got {record.Fate}: {string.Join("; ", record.Decisions.Select(d => $"{d.Rule} {d.Reason}"))}");
            if (record.Fate == RecordFate.Quarantined)
            {
                Assert.NotEmpty(record.Decisions);
                Assert.NotEqual(0, record.QuarantineId);
            }
        }

        Assert.Equal(1, receipts[^1].Accepted);
        await using var db = await platform.OpenDatabaseAsync();
        // Records with the same bytes share one quarantine row; every other quarantined record has its own.
        var rows = records.Where(r => r.Fate == RecordFate.Quarantined).Select(r => r.QuarantineId).Distinct().Count();
        Assert.Equal((long)rows, await db.ScalarAsync<long>("select count(*) from ai_training_quarantine where batch_id = $1", batch));
        var storedRaw = await db.ScalarAsync<byte[]>("select raw_record from ai_training_quarantine where id = $1", records[corpus.FindIndex(c => c.Name == "invalid utf-8")].QuarantineId);
        Assert.Equal(corpus.Single(c => c.Name == "invalid utf-8").Bytes, storedRaw);
        var injected = corpus.Single(c => c.Name == "sql injection in prose");
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from ai_training_examples where id = $1", Guid.Parse(injected.Id!)));
        Assert.True(await db.ScalarAsync<bool>("select to_regclass('ai_training_examples') is not null"));
    }

    [Fact]
    public async Task A_malformed_chunk_is_refused_naming_the_field_and_leaves_the_database_unchanged()
    {
        using var client = new ContractsClient(platform);
        await using var db = await platform.OpenDatabaseAsync();
        var before = await CountsAsync(db);
        var valid = TrainingRecordFactory.Bytes(TrainingRecordFactory.Valid());

        var noContract = new IngestRequest { Records = { ByteString.CopyFrom(valid) } };
        var unknown = new IngestRequest { ContractId = "no_such_contract", Records = { ByteString.CopyFrom(valid) } };
        var tooMany = new IngestRequest { ContractId = ContractsClient.Contract };
        tooMany.Records.Add(Enumerable.Range(0, 10_001).Select(_ => ByteString.CopyFrom(valid)));

        foreach (var (request, field) in new[] { (noContract, "contract_id"), (unknown, "contract_id"), (tooMany, "records") })
        {
            var error = await client.IngestRefusedAsync(request);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Equal(field, error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Single().Field);
        }

        Assert.Contains("ai_training_examples", (await client.IngestRefusedAsync(unknown)).Status.Detail);
        Assert.Equal(before, await CountsAsync(db));
    }

    [Fact]
    public async Task Validate_streams_every_violation_per_record_and_changes_nothing()
    {
        using var client = new ContractsClient(platform);
        await using var db = await platform.OpenDatabaseAsync();
        var before = await CountsAsync(db);
        var bad = TrainingRecordFactory.Valid();
        bad["source"] = "Not A Source!";
        bad["consent"] = "yes";

        using var call = client.Service.Validate();
        var first = new ValidateRequest { ContractId = ContractsClient.Contract, Records = { ByteString.CopyFrom(TrainingRecordFactory.Bytes(TrainingRecordFactory.Valid())) } };
        var second = new ValidateRequest { Records = { ByteString.CopyFrom(TrainingRecordFactory.Bytes(bad)), ByteString.CopyFrom([0xff, 0x7b]) } };
        await call.RequestStream.WriteAsync(first);
        await call.RequestStream.WriteAsync(second);
        await call.RequestStream.CompleteAsync();
        var responses = new List<ValidateResponse>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            responses.Add(call.ResponseStream.Current);
        }

        Assert.Equal(2, responses.Count);
        Assert.True(responses[0].Results.Single().Valid);
        Assert.Equal([1L, 2L], responses[1].Results.Select(r => r.Index));
        Assert.Equal(["consent", "source"], responses[1].Results[0].Violations.Select(v => v.Path).Order());
        Assert.Contains(responses[1].Results[1].Violations, v => v.Rule == "encoding.utf8");
        Assert.Equal(before, await CountsAsync(db));
    }

    [Fact]
    public async Task A_quarantined_record_can_be_fixed_and_released_into_the_table()
    {
        using var client = new ContractsClient(platform);
        var batch = $"fix-{Guid.NewGuid():N}";
        var record = TrainingRecordFactory.Valid();
        record["source"] = "Bad Source";
        var sent = TrainingRecordFactory.Bytes(record);
        var quarantineId = (await client.IngestAsync(batch, [TrainingRecordFactory.Bytes(record)])).Single().Records[0].QuarantineId;

        var listed = await client.Service.ListQuarantineAsync(new ListQuarantineRequest { BatchId = batch });
        var held = Assert.Single(listed.Records);
        Assert.Equal(quarantineId, held.Id);
        Assert.Contains(held.Reasons, r => r.Field == "source" && r.Rule == "contract.pattern");

        var stillBad = record.DeepClone().AsObject();
        stillBad["source"] = "Still Bad";
        var retry = await client.Service.ReleaseQuarantineAsync(new ReleaseQuarantineRequest
        {
            Actor = "reviewer@sitecraft",
            Releases = { new QuarantineRelease { Id = quarantineId, CorrectedRecord = ByteString.CopyFrom(TrainingRecordFactory.Bytes(stillBad)) } },
        });
        Assert.Equal(RecordFate.Quarantined, retry.Results.Single().Fate);
        Assert.Contains(retry.Results.Single().Decisions, d => d.Field == "source");

        record["source"] = "human_edit";
        var released = await client.Service.ReleaseQuarantineAsync(new ReleaseQuarantineRequest
        {
            Actor = "reviewer@sitecraft",
            Releases = { new QuarantineRelease { Id = quarantineId, CorrectedRecord = ByteString.CopyFrom(TrainingRecordFactory.Bytes(record)) } },
        });

        Assert.Equal(RecordFate.Accepted, released.Results.Single().Fate);
        await using var db = await platform.OpenDatabaseAsync();
        Assert.Equal("human_edit", await db.ScalarAsync<string>("select source from ai_training_examples where id = $1", Guid.Parse(record["id"]!.GetValue<string>())));
        Assert.Equal("released reviewer@sitecraft", await db.ScalarAsync<string>("select status || ' ' || resolved_by from ai_training_quarantine where id = $1", quarantineId));
        Assert.Equal(sent, held.RawRecord.ToByteArray());
        Assert.Equal(sent, await db.ScalarAsync<byte[]>("select raw_record from ai_training_quarantine where id = $1", quarantineId));
        Assert.Empty((await client.Service.ListQuarantineAsync(new ListQuarantineRequest { BatchId = batch })).Records);

        var again = await Assert.ThrowsAsync<RpcException>(async () => await client.Service.ReleaseQuarantineAsync(new ReleaseQuarantineRequest
        {
            Actor = "reviewer@sitecraft",
            Releases = { new QuarantineRelease { Id = quarantineId } },
        }));
        Assert.Equal(StatusCode.InvalidArgument, again.StatusCode);
        Assert.Contains("already released", again.Status.Detail);
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await client.Service.ReleaseQuarantineAsync(new ReleaseQuarantineRequest
        {
            Actor = "reviewer@sitecraft",
            Releases = { new QuarantineRelease { Id = long.MaxValue } },
        }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    private static async Task<(long Examples, long Quarantined)> CountsAsync(NpgsqlDataSourceOwner db) =>
        (await db.ScalarAsync<long>("select count(*) from ai_training_examples"), await db.ScalarAsync<long>("select count(*) from ai_training_quarantine"));
}

/// <summary>Snapshots and table checks through the contracts service's gRPC API.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class SnapshotAndCheckRpcTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_snapshot_made_through_the_service_verifies_against_its_files_and_is_registered()
    {
        using var client = new ContractsClient(platform);
        var useCase = "site.seo.meta";
        await client.IngestAsync("rpc-snapshot", Enumerable.Range(0, 10).Select(_ => TrainingRecordFactory.Bytes(TrainingRecordFactory.Valid(useCase: useCase))).ToList());

        var snapshot = await client.Service.CreateSnapshotAsync(new CreateSnapshotRequest
        {
            ContractId = ContractsClient.Contract,
            Filters = new SiteCraft.Ml.Contracts.V1.SnapshotFilters { UseCases = { useCase } },
            SplitRatios = { ["train"] = 0.5, ["validation"] = 0.5 },
        });

        Assert.StartsWith(PlatformFixture.SnapshotDirectory, snapshot.Directory);
        Assert.Empty(await SiteCraft.Ml.Contracts.Data.Snapshots.SnapshotManifest.VerifyAsync(snapshot.Directory, snapshot.ManifestSha256, CancellationToken.None));
        Assert.True(snapshot.RecordCounts["total"] >= 10);
        Assert.Equal(["train", "validation"], snapshot.Files.Select(f => f.Split).Order());
        await using var db = await platform.OpenDatabaseAsync();
        Assert.Equal(snapshot.ManifestSha256, await db.ScalarAsync<string>("select manifest_sha256 from ai_dataset_snapshots where snapshot_id = $1", snapshot.SnapshotId));

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.Service.CreateSnapshotAsync(new CreateSnapshotRequest
        {
            ContractId = ContractsClient.Contract,
            SplitRatios = { ["train"] = 0.7 },
        }));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("split_ratios", refused.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Single().Field);
    }

    [Fact]
    public async Task The_table_check_reports_each_check_of_the_contract_with_a_result()
    {
        using var client = new ContractsClient(platform);
        await client.IngestAsync("rpc-check", [TrainingRecordFactory.Bytes(TrainingRecordFactory.Valid())]);

        var report = await client.Service.TestContractAsync(new TestContractRequest { ContractId = ContractsClient.Contract });

        Assert.Equal("ai_training_examples@1.0.0", report.Contract);
        Assert.Contains(report.Checks, c => c.Name == "rowCount" && c.Result == "pass");
        Assert.Contains(report.Checks, c => c.Name == "contractRegistered" && c.Result == "pass");
        Assert.Contains(report.Checks, c => c.Name.StartsWith("freshness", StringComparison.Ordinal) && c.Result == "pass");
        // The report's result is its worst check.
        var worst = report.Checks.Any(c => c.Result == "fail") ? "fail" : report.Checks.Any(c => c.Result == "warn") ? "warn" : "pass";
        Assert.Equal(worst, report.Result);
    }
}

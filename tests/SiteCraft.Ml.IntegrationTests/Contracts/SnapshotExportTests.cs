using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SiteCraft.Ml.Contracts.Data.Snapshots;

namespace SiteCraft.Ml.IntegrationTests.Contracts;

/// <summary>Dataset snapshots exported from a real, migrated database: selection, split, files, manifest and registration.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class SnapshotExportTests(PlatformFixture platform)
{
    private static readonly Dictionary<string, double> s_threeWay = new() { ["train"] = 0.8, ["validation"] = 0.1, ["test"] = 0.1 };

    [Fact]
    public async Task Records_go_to_the_split_their_id_hash_names_in_about_the_requested_shares()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        var rows = TrainingDataScope.Rows(2000, seed: 1);
        await scope.InsertAsync(rows);
        var progress = new RecordedProgress();

        var result = await Exporter(scope).ExportAsync(Request(scope, ratios: s_threeWay), scope.OutputRoot, progress, CancellationToken.None);

        var exported = await ReadSnapshotAsync(result.Directory, s_threeWay.Keys);
        Assert.Equal(rows.Select(r => r.IdText).Order(), exported.Keys.Order());
        Assert.All(exported, record => Assert.Equal(ExpectedSplit(record.Key, s_threeWay), record.Value.Split));
        foreach (var (split, share) in s_threeWay)
        {
            var count = exported.Values.Count(e => e.Split == split);
            // Five binomial standard deviations: the ids are fixed by the seed, so this cannot flake.
            Assert.InRange((double)count, (2000 * share) - (5 * Math.Sqrt(2000 * share * (1 - share))), (2000 * share) + (5 * Math.Sqrt(2000 * share * (1 - share))));
            Assert.Equal(count, result.Manifest.RecordCounts[split]);
        }

        Assert.Equal(2000, result.Manifest.RecordCounts["total"]);
        Assert.Equal(2000, progress.Values[^1]);
        Assert.Equal(["test.jsonl", "train.jsonl", "validation.jsonl"], result.Manifest.Files.Select(f => f.Name));
    }

    [Fact]
    public async Task A_record_keeps_its_split_when_other_records_are_added()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        var first = TrainingDataScope.Rows(400, seed: 2);
        await scope.InsertAsync(first);
        var before = await Exporter(scope).ExportAsync(Request(scope, ratios: s_threeWay, id: "before"), scope.OutputRoot, null, CancellationToken.None);
        await scope.InsertAsync(TrainingDataScope.Rows(400, seed: 3));

        var after = await Exporter(scope).ExportAsync(Request(scope, ratios: s_threeWay, id: "after"), scope.OutputRoot, null, CancellationToken.None);

        var earlier = await ReadSnapshotAsync(before.Directory, s_threeWay.Keys);
        var later = await ReadSnapshotAsync(after.Directory, s_threeWay.Keys);
        Assert.Equal(400, earlier.Count);
        Assert.Equal(800, later.Count);
        Assert.All(earlier, record => Assert.Equal(record.Value.Split, later[record.Key].Split));
    }

    [Fact]
    public async Task Each_filter_leaves_out_exactly_the_rows_it_should()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        string[] useCases = ["site.page.json", "site.section.copy", "site.seo.meta"];
        string[] sources = ["generation", "human_edit", "import.agency"];
        var rows = TrainingDataScope.Rows(120, seed: 4, (i, row) => row with
        {
            UseCase = useCases[i % 3],
            Source = sources[i / 3 % 3],
            CreatedAt = TrainingDataScope.Now.AddDays(-i),
            // Every fourth row has no online score at all.
            OnlineScore = i % 4 == 0 ? null : i % 10 / 10.0,
        });
        await scope.InsertAsync(rows);
        var from = TrainingDataScope.Now.AddDays(-60);
        var before = TrainingDataScope.Now.AddDays(-30);

        var cases = new (SnapshotFilters Filters, Func<ExampleRow, bool> Keeps)[]
        {
            (SnapshotFilters.None with { UseCases = ["site.seo.meta", "site.page.json"] }, r => r.UseCase is "site.seo.meta" or "site.page.json"),
            (SnapshotFilters.None with { Sources = ["human_edit"] }, r => r.Source == "human_edit"),
            (SnapshotFilters.None with { CreatedFrom = from }, r => r.CreatedAt >= from),
            (SnapshotFilters.None with { CreatedBefore = before }, r => r.CreatedAt < before),
            (SnapshotFilters.None with { MinOnlineScore = 0.5 }, r => r.OnlineScore >= 0.5),
            (new SnapshotFilters(["site.page.json"], ["generation", "import.agency"], from, before, 0.3),
                r => r.UseCase == "site.page.json" && r.Source is "generation" or "import.agency" && r.CreatedAt >= from && r.CreatedAt < before && r.OnlineScore >= 0.3),
        };

        for (var i = 0; i < cases.Length; i++)
        {
            var (filters, keeps) = cases[i];
            var result = await Exporter(scope).ExportAsync(Request(scope, filters, id: $"filter-{i}"), scope.OutputRoot, null, CancellationToken.None);

            var exported = await ReadSnapshotAsync(result.Directory, ["train", "validation"]);
            var expected = rows.Where(keeps).Select(r => r.IdText).Order().ToList();
            Assert.NotEmpty(expected);
            Assert.NotEqual(rows.Count, expected.Count);
            Assert.Equal(expected, exported.Keys.Order());
        }
    }

    [Fact]
    public async Task Rows_without_consent_or_of_another_contract_version_are_never_exported()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.RegisterVersionAsync("0.9.0");
        var rows = TrainingDataScope.Rows(90, seed: 5, (i, row) => row with
        {
            Consent = i % 3 != 0,
            ContractVersion = i % 3 == 1 ? "0.9.0" : "1.0.0",
        });
        await scope.InsertAsync(rows);

        var result = await Exporter(scope).ExportAsync(Request(scope), scope.OutputRoot, null, CancellationToken.None);

        var exported = await ReadSnapshotAsync(result.Directory, ["train", "validation"]);
        Assert.Equal(rows.Where(r => r.Consent && r.ContractVersion == "1.0.0").Select(r => r.IdText).Order(), exported.Keys.Order());
        Assert.Equal(30, exported.Count);
        Assert.Contains("contract_version = '1.0.0'", result.Manifest.Selection, StringComparison.Ordinal);
        Assert.Contains("consent = true", result.Manifest.Selection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_line_is_the_rows_chat_example_and_restricted_fields_never_reach_the_files()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        var rows = TrainingDataScope.Rows(40, seed: 6, (i, row) => row with { OnlineScore = i % 2 == 0 ? 0.75 : null });
        await scope.InsertAsync(rows);

        var result = await Exporter(scope).ExportAsync(Request(scope), scope.OutputRoot, null, CancellationToken.None);

        var exported = await ReadSnapshotAsync(result.Directory, ["train", "validation"]);
        foreach (var row in rows)
        {
            var line = exported[row.IdText].Line;
            Assert.Equal(["id", "use_case", "source", "messages", "completion", "created_at", "quality_signals"], line.Select(p => p.Key));
            Assert.Equal(row.UseCase, line["use_case"]!.GetValue<string>());
            Assert.Equal(row.Source, line["source"]!.GetValue<string>());
            Assert.Equal(row.Completion, line["completion"]!.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(row.MessagesJson), line["messages"]));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(row.QualitySignalsJson), line["quality_signals"]));
            Assert.Equal(row.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture), line["created_at"]!.GetValue<string>());
        }

        var bytes = string.Concat(await Task.WhenAll(result.Manifest.Files.Select(f => File.ReadAllTextAsync(Path.Combine(result.Directory, f.Name)))));
        Assert.DoesNotContain("tenant", bytes, StringComparison.Ordinal);
        Assert.DoesNotContain("site-0042", bytes, StringComparison.Ordinal);
        Assert.Equal(["tenant_id", "site_id", "consent"], result.Manifest.OmittedFields);
        Assert.Equal(["tenant_id", "site_id"], scope.Contract.Schema.Properties.Where(p => p.Classification == "restricted").Select(p => p.Name));
    }

    [Fact]
    public async Task Two_exports_of_the_same_data_write_identical_files()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.InsertAsync(TrainingDataScope.Rows(300, seed: 7, (i, row) => row with { OnlineScore = i / 300.0 }));
        var request = Request(scope, SnapshotFilters.None with { MinOnlineScore = 0.2 }, s_threeWay);

        var first = await Exporter(scope).ExportAsync(request with { SnapshotId = "first" }, scope.OutputRoot, null, CancellationToken.None);
        scope.Time.Advance(TimeSpan.FromHours(3));
        var second = await Exporter(scope).ExportAsync(request with { SnapshotId = "second" }, scope.OutputRoot, null, CancellationToken.None);

        Assert.Equal(first.Manifest.Files, second.Manifest.Files);
        foreach (var file in first.Manifest.Files)
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(first.Directory, file.Name)), await File.ReadAllBytesAsync(Path.Combine(second.Directory, file.Name)));
        }

        // Only the id and the time tell the two manifests apart.
        Assert.NotEqual(first.ManifestSha256, second.ManifestSha256);
        Assert.Equal(Scrubbed(first.ManifestJson), Scrubbed(second.ManifestJson));
    }

    [Fact]
    public async Task A_fresh_snapshot_verifies_and_its_registered_row_matches_the_manifest()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.InsertAsync(TrainingDataScope.Rows(250, seed: 8));
        var filters = new SnapshotFilters(["site.page.json"], [], TrainingDataScope.Now.AddDays(-3), null, null);

        var result = await Exporter(scope).ExportAsync(Request(scope, filters, s_threeWay, "registered"), scope.OutputRoot, null, CancellationToken.None);

        Assert.Empty(await SnapshotManifest.VerifyAsync(result.Directory, CancellationToken.None));
        Assert.Empty(await SnapshotManifest.VerifyAsync(result.Directory, result.ManifestSha256, CancellationToken.None));
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(result.Directory, "manifest.json"));
        Assert.Equal(result.ManifestJson, Encoding.UTF8.GetString(onDisk));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(onDisk)), result.ManifestSha256);
        Assert.Equal(JsonSerializer.Serialize(result.Manifest), JsonSerializer.Serialize(await SnapshotManifest.ReadAsync(result.Directory, CancellationToken.None)));

        var manifest = JsonNode.Parse(onDisk)!;
        Assert.Equal("sitecraft-chat-jsonl/1", manifest["format"]!.GetValue<string>());
        Assert.Equal(scope.Contract.Sha256, manifest["contract"]!["sha256"]!.GetValue<string>());
        Assert.Equal("sha256(id)[0:8] as big-endian uint64 / 2^64", manifest["split_key"]!.GetValue<string>());
        Assert.Equal(Path.Combine(scope.OutputRoot, "registered"), result.Directory);

        await using var command = scope.Db.DataSource.CreateCommand("""
            select contract_id, contract_version, manifest = $2::jsonb, manifest_sha256, filters = $3::jsonb,
                   split_ratios = $4::jsonb, record_counts = $5::jsonb, files = $6::jsonb, created_at
            from ai_dataset_snapshots where snapshot_id = $1
            """);
        command.Parameters.AddWithValue("registered");
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Jsonb, result.ManifestJson);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Jsonb, manifest["filters"]!.ToJsonString());
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Jsonb, manifest["split_ratios"]!.ToJsonString());
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Jsonb, manifest["record_counts"]!.ToJsonString());
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Jsonb, manifest["files"]!.ToJsonString());
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("ai_training_examples", "1.0.0"), (reader.GetString(0), reader.GetString(1)));
        Assert.True(reader.GetBoolean(2), "manifest");
        Assert.Equal(result.ManifestSha256, reader.GetString(3));
        Assert.True(reader.GetBoolean(4), "filters");
        Assert.True(reader.GetBoolean(5), "split_ratios");
        Assert.True(reader.GetBoolean(6), "record_counts");
        Assert.True(reader.GetBoolean(7), "files");
        Assert.Equal(result.Manifest.CreatedAt, reader.GetFieldValue<DateTimeOffset>(8));
    }

    [Fact]
    public async Task Verify_reports_a_tampered_a_truncated_and_a_missing_file()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.InsertAsync(TrainingDataScope.Rows(300, seed: 9));
        var result = await Exporter(scope).ExportAsync(Request(scope, ratios: s_threeWay), scope.OutputRoot, null, CancellationToken.None);
        var train = Path.Combine(result.Directory, "train.jsonl");
        var validation = Path.Combine(result.Directory, "validation.jsonl");

        // Same length, one byte changed: only the hash can tell.
        var bytes = await File.ReadAllBytesAsync(train);
        bytes[bytes.AsSpan().IndexOf("Caf"u8) + 1] ^= 0x20;
        await File.WriteAllBytesAsync(train, bytes);
        var cut = await File.ReadAllBytesAsync(validation);
        await File.WriteAllBytesAsync(validation, cut[..(cut.Length / 2)]);
        File.Delete(Path.Combine(result.Directory, "test.jsonl"));

        var problems = await SnapshotManifest.VerifyAsync(result.Directory, CancellationToken.None);

        var files = result.Manifest.Files.ToDictionary(f => f.Split);
        Assert.Contains(problems, p => p.StartsWith("train.jsonl: sha256 is ", StringComparison.Ordinal) && p.Contains(files["train"].Sha256, StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.StartsWith("train.jsonl: ", StringComparison.Ordinal) && !p.Contains("sha256", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("validation.jsonl: sha256 is ", StringComparison.Ordinal));
        Assert.Contains($"validation.jsonl: {cut.Length / 2} bytes, the manifest says {files["validation"].Bytes}", problems);
        Assert.Contains(problems, p => p.StartsWith("validation.jsonl: ", StringComparison.Ordinal) && p.EndsWith($"records, the manifest says {files["validation"].Records}", StringComparison.Ordinal));
        Assert.Contains("test.jsonl: missing", problems);
        Assert.Equal(5, problems.Count);
    }

    [Fact]
    public async Task Verify_against_the_registered_hash_catches_an_edited_manifest()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.InsertAsync(TrainingDataScope.Rows(50, seed: 10));
        var result = await Exporter(scope).ExportAsync(Request(scope), scope.OutputRoot, null, CancellationToken.None);
        var path = Path.Combine(result.Directory, "manifest.json");

        await File.WriteAllTextAsync(path, result.ManifestJson.Replace("\"created_at\"", "\"created_at\" ", StringComparison.Ordinal));

        Assert.Empty(await SnapshotManifest.VerifyAsync(result.Directory, CancellationToken.None));
        var problem = Assert.Single(await SnapshotManifest.VerifyAsync(result.Directory, result.ManifestSha256, CancellationToken.None));
        Assert.StartsWith("manifest.json: sha256 is ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_ratios_mean_train_and_validation_and_each_split_gets_a_file_even_with_no_rows()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);

        var result = await Exporter(scope).ExportAsync(new SnapshotRequest(scope.Contract, SnapshotFilters.None, new Dictionary<string, double>()), scope.OutputRoot, null, CancellationToken.None);

        Assert.Matches("^ds-20261120-120000-[0-9a-f]{8}$", result.SnapshotId);
        Assert.Equal(new Dictionary<string, double> { ["train"] = 0.9, ["validation"] = 0.1 }, result.Manifest.SplitRatios);
        Assert.Equal(["train.jsonl", "validation.jsonl"], result.Manifest.Files.Select(f => f.Name));
        Assert.All(result.Manifest.Files, f => Assert.Equal(0, new FileInfo(Path.Combine(result.Directory, f.Name)).Length));
        Assert.Equal(0, result.Manifest.RecordCounts["total"]);
        Assert.Equal([result.SnapshotId], Directory.EnumerateFileSystemEntries(scope.OutputRoot).Select(e => Path.GetFileName(e)));
        Assert.Equal(["manifest.json", "train.jsonl", "validation.jsonl"], Directory.EnumerateFiles(result.Directory).Select(e => Path.GetFileName(e)).Order(StringComparer.Ordinal));
        Assert.Empty(await SnapshotManifest.VerifyAsync(result.Directory, CancellationToken.None));
    }

    public static TheoryData<string, double[]> BadRatios => new()
    {
        { "shares that sum to 0.95", [0.85, 0.1] },
        { "shares that sum to 1.05", [0.95, 0.1] },
        { "a zero share", [1.0, 0.0] },
        { "a negative share", [0.6, -0.1] },
        { "a share above 1", [1.5, 0.1] },
        { "a share that is not a number", [double.NaN, 0.1] },
    };

    [Theory]
    [MemberData(nameof(BadRatios))]
    public async Task Bad_split_shares_are_refused_naming_split_ratios_and_nothing_is_written(string why, double[] shares)
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.InsertAsync(TrainingDataScope.Rows(10, seed: 11));

        var error = await Assert.ThrowsAsync<SnapshotRequestException>(() => Exporter(scope).ExportAsync(
            Request(scope, ratios: new() { ["train"] = shares[0], ["validation"] = shares[1] }), scope.OutputRoot, null, CancellationToken.None));

        Assert.True(error.Field == "split_ratios", why);
        Assert.StartsWith("split_ratios: ", error.Message, StringComparison.Ordinal);
        await AssertNothingWrittenAsync(scope);
    }

    [Theory]
    [InlineData("Train")]
    [InlineData("9lives")]
    [InlineData("train.v2")]
    [InlineData("train\n")]
    [InlineData("total")]
    [InlineData("a-name-of-thirty-three-characters")]
    public async Task Bad_split_names_are_refused_naming_split_ratios_and_nothing_is_written(string name)
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);

        var error = await Assert.ThrowsAsync<SnapshotRequestException>(() => Exporter(scope).ExportAsync(
            Request(scope, ratios: new() { [name] = 0.5, ["validation"] = 0.5 }), scope.OutputRoot, null, CancellationToken.None));

        Assert.Equal("split_ratios", error.Field);
        await AssertNothingWrittenAsync(scope);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../escape")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("name\n")]
    [InlineData("has space")]
    [InlineData("x23456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task Bad_snapshot_ids_are_refused_naming_snapshot_id_and_nothing_is_written(string id)
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.InsertAsync(TrainingDataScope.Rows(10, seed: 12));

        var error = await Assert.ThrowsAsync<SnapshotRequestException>(() => Exporter(scope).ExportAsync(
            Request(scope, id: id), scope.OutputRoot, null, CancellationToken.None));

        Assert.Equal("snapshot_id", error.Field);
        await AssertNothingWrittenAsync(scope);
    }

    [Fact]
    public async Task A_snapshot_id_that_exists_is_refused_and_the_first_snapshot_stays_as_it_was()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.InsertAsync(TrainingDataScope.Rows(60, seed: 13));
        var first = await Exporter(scope).ExportAsync(Request(scope, id: "weekly"), scope.OutputRoot, null, CancellationToken.None);
        await scope.InsertAsync(TrainingDataScope.Rows(60, seed: 14));

        var error = await Assert.ThrowsAsync<SnapshotRequestException>(() => Exporter(scope).ExportAsync(
            Request(scope, id: "weekly"), scope.OutputRoot, null, CancellationToken.None));

        Assert.Equal("snapshot_id", error.Field);
        Assert.Contains("ai_dataset_snapshots", error.Message, StringComparison.Ordinal);
        Assert.Empty(await SnapshotManifest.VerifyAsync(first.Directory, first.ManifestSha256, CancellationToken.None));
        Assert.Equal(60, (await SnapshotManifest.ReadAsync(first.Directory, CancellationToken.None)).RecordCounts["total"]);
        Assert.Equal(["weekly"], Directory.EnumerateFileSystemEntries(scope.OutputRoot).Select(e => Path.GetFileName(e)));
        Assert.Equal(1L, await scope.Db.ScalarAsync<long>("select count(*) from ai_dataset_snapshots"));
    }

    [Fact]
    public async Task A_snapshot_folder_left_on_disk_is_never_overwritten()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.InsertAsync(TrainingDataScope.Rows(10, seed: 15));
        var stray = Directory.CreateDirectory(Path.Combine(scope.OutputRoot, "monthly"));
        await File.WriteAllTextAsync(Path.Combine(stray.FullName, "notes.txt"), "kept");

        var error = await Assert.ThrowsAsync<SnapshotRequestException>(() => Exporter(scope).ExportAsync(
            Request(scope, id: "monthly"), scope.OutputRoot, null, CancellationToken.None));

        Assert.Equal("snapshot_id", error.Field);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(stray.FullName).Select(e => Path.GetFileName(e)));
        Assert.Equal(0L, await scope.Db.ScalarAsync<long>("select count(*) from ai_dataset_snapshots"));
    }

    [Fact]
    public async Task A_time_window_that_ends_before_it_starts_is_refused_naming_created_before()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        var filters = SnapshotFilters.None with { CreatedFrom = TrainingDataScope.Now, CreatedBefore = TrainingDataScope.Now.AddDays(-1) };

        var error = await Assert.ThrowsAsync<SnapshotRequestException>(() => Exporter(scope).ExportAsync(
            Request(scope, filters), scope.OutputRoot, null, CancellationToken.None));

        Assert.Equal("filters.created_before", error.Field);
        await AssertNothingWrittenAsync(scope);
    }

    [Fact]
    public async Task A_contract_that_is_not_registered_is_refused_naming_the_contract()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform, register: false);

        var error = await Assert.ThrowsAsync<SnapshotRequestException>(() => Exporter(scope).ExportAsync(
            Request(scope), scope.OutputRoot, null, CancellationToken.None));

        Assert.Equal("contract", error.Field);
        Assert.Contains("ai_training_examples@1.0.0", error.Message, StringComparison.Ordinal);
        await AssertNothingWrittenAsync(scope);
    }

    private static SnapshotExporter Exporter(TrainingDataScope scope) => new(scope.Db.DataSource, scope.Time);

    private static SnapshotRequest Request(TrainingDataScope scope, SnapshotFilters? filters = null, Dictionary<string, double>? ratios = null, string? id = null) =>
        new(scope.Contract, filters ?? SnapshotFilters.None, ratios ?? [], id);

    private static async Task AssertNothingWrittenAsync(TrainingDataScope scope)
    {
        Assert.False(Directory.Exists(scope.OutputRoot), "the output folder was created");
        Assert.Equal(0L, await scope.Db.ScalarAsync<long>("select count(*) from ai_dataset_snapshots"));
    }

    /// <summary>The split named by the documented key, computed here independently of the exporter.</summary>
    private static string ExpectedSplit(string id, IReadOnlyDictionary<string, double> ratios)
    {
        var u = BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(id))) / Math.Pow(2, 64);
        var cumulative = 0.0;
        var ordered = ratios.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        foreach (var (name, share) in ordered)
        {
            cumulative += share;
            if (u < cumulative)
            {
                return name;
            }
        }

        return ordered[^1].Key;
    }

    /// <summary>Every exported line by id, with the split whose file it was in.</summary>
    private static async Task<Dictionary<string, (string Split, JsonObject Line)>> ReadSnapshotAsync(string directory, IEnumerable<string> splits)
    {
        var records = new Dictionary<string, (string, JsonObject)>(StringComparer.Ordinal);
        foreach (var split in splits)
        {
            foreach (var line in await File.ReadAllLinesAsync(Path.Combine(directory, split + ".jsonl")))
            {
                var record = JsonNode.Parse(line)!.AsObject();
                records.Add(record["id"]!.GetValue<string>(), (split, record));
            }
        }

        return records;
    }

    private static string Scrubbed(string manifestJson)
    {
        var manifest = JsonNode.Parse(manifestJson)!.AsObject();
        manifest.Remove("snapshot_id");
        manifest.Remove("created_at");
        return manifest.ToJsonString();
    }

    private sealed class RecordedProgress : IProgress<long>
    {
        public List<long> Values { get; } = [];

        public void Report(long value) => Values.Add(value);
    }
}

using System.Text;
using System.Text.RegularExpressions;
using SiteCraft.Ml.IntegrationTests.Contracts;
using SiteCraft.Ml.IntegrationTests.Telemetry;

namespace SiteCraft.Ml.IntegrationTests.Cli;

/// <summary>`sitecraft-ml data …` as a real process against a real, freshly migrated database.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed partial class DataCliTests(PlatformFixture platform) : IDisposable
{
    private static readonly string s_cli = Path.Combine(AppContext.BaseDirectory, "sitecraft-ml.dll");

    private readonly string _folder = Directory.CreateTempSubdirectory("sitecraft-data-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Ingest_stores_what_passes_quarantines_the_rest_by_line_and_adds_nothing_when_run_again()
    {
        var connection = await TelemetryDatabase.CreateAsync(platform);
        await using var db = new NpgsqlDataSourceOwner(connection);
        var duplicate = TrainingRecordFactory.Valid();
        var copy = duplicate.DeepClone().AsObject();
        copy["id"] = Guid.NewGuid().ToString();
        var file = await WriteAsync("batch.jsonl",
            [TrainingRecordFactory.Valid(), TrainingRecordFactory.Valid(), duplicate, TrainingRecordFactory.Without("completion"), copy]);

        var first = await RunAsync("data", "ingest", file, "--connection", connection, "--batch-id", "cli-batch", "--chunk-size", "2");
        var again = await RunAsync("data", "ingest", file, "--connection", connection, "--batch-id", "cli-batch");

        Assert.Equal(1, first.ExitCode);
        Assert.Matches($@"{Regex.Escape(file)}:4: quarantined #\d+ completion contract.required: ", first.StandardOutput);
        Assert.Contains("5 records: 3 accepted, 1 quarantined, 1 duplicates (contract ai_training_examples@1.0.0, batch cli-batch)", first.StandardOutput);
        Assert.Contains("5 records: 0 accepted, 1 quarantined, 4 duplicates", again.StandardOutput);
        Assert.Equal(3L, await db.ScalarAsync<long>("select count(*) from ai_training_examples"));
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from ai_training_quarantine where batch_id = 'cli-batch'"));
    }

    [Fact]
    public async Task A_quarantined_record_is_listed_with_its_reasons_and_released_once_fixed()
    {
        var connection = await TelemetryDatabase.CreateAsync(platform);
        await using var db = new NpgsqlDataSourceOwner(connection);
        var broken = TrainingRecordFactory.With("source", "Not Valid");
        await RunAsync("data", "ingest", await WriteAsync("broken.jsonl", [broken]), "--connection", connection);

        var listed = await RunAsync("data", "quarantine", "list", "--connection", connection);
        var id = QuarantineId().Match(listed.StandardOutput).Groups[1].Value;
        broken["source"] = "human_edit";
        var fixedFile = Path.Combine(_folder, "fixed.json");
        await File.WriteAllTextAsync(fixedFile, TrainingRecordFactory.Line(broken));
        var released = await RunAsync("data", "quarantine", "release", id, "--actor", "ops@sitecraft", "--file", fixedFile, "--connection", connection);
        var after = await RunAsync("data", "quarantine", "list", "--connection", connection);

        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("source contract.pattern:", listed.StandardOutput);
        Assert.Equal(0, released.ExitCode);
        Assert.Contains($"#{id} released: stored", released.StandardOutput);
        Assert.Contains("0 rows", after.StandardOutput);
        Assert.Equal("ops@sitecraft", await db.ScalarAsync<string>("select resolved_by from ai_training_quarantine where id = $1", long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from ai_training_examples where source = 'human_edit'"));
    }

    [Fact]
    public async Task Export_writes_a_snapshot_that_verifies_and_contracts_test_fails_an_empty_table_and_passes_a_filled_one()
    {
        var connection = await TelemetryDatabase.CreateAsync(platform);
        await using var db = new NpgsqlDataSourceOwner(connection);
        var empty = await RunAsync("contracts", "test", "--connection", connection);
        await RunAsync("data", "ingest", await WriteAsync("some.jsonl", [.. Enumerable.Range(0, 6).Select(_ => TrainingRecordFactory.Valid())]), "--connection", connection);
        var output = Path.Combine(_folder, "snapshots");

        var export = await RunAsync("data", "export", "--out", output, "--snapshot-id", "cli-snap", "--split", "train=0.5,validation=0.5", "--connection", connection);
        var filled = await RunAsync("contracts", "test", "--connection", connection);
        var badSplit = await RunAsync("data", "export", "--out", output, "--split", "train", "--connection", connection);

        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("fail rowCount", empty.StandardOutput);
        Assert.Equal(0, export.ExitCode);
        Assert.Contains($"snapshot cli-snap in {Path.Combine(output, "cli-snap")}", export.StandardOutput);
        Assert.Empty(await SiteCraft.Ml.Contracts.Data.Snapshots.SnapshotManifest.VerifyAsync(Path.Combine(output, "cli-snap"), CancellationToken.None));
        Assert.Equal(6L, await db.ScalarAsync<long>("select (record_counts->>'total')::bigint from ai_dataset_snapshots where snapshot_id = 'cli-snap'"));
        Assert.Equal(0, filled.ExitCode);
        Assert.Contains("pass rowCount", filled.StandardOutput);
        Assert.Equal(2, badSplit.ExitCode);
        Assert.Contains("--split 'train' is not NAME=SHARE", badSplit.StandardError);
    }

    [Fact]
    public async Task Without_a_reachable_database_the_data_commands_exit_2_naming_the_connection()
    {
        var file = await WriteAsync("one.jsonl", [TrainingRecordFactory.Valid()]);

        var missing = await AppHostProcess.RunDllAsync(s_cli, ["data", "ingest", file],
            new Dictionary<string, string> { ["SITECRAFT_ML_DB"] = "", ["ConnectionStrings__sitecraft"] = "" });
        var unreachable = await RunAsync("data", "ingest", file, "--connection", "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=2");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--connection is required", missing.StandardError);
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Contains("cannot reach the database of --connection", unreachable.StandardError);
    }

    private async Task<string> WriteAsync(string name, System.Text.Json.Nodes.JsonNode[] records)
    {
        var path = Path.Combine(_folder, name);
        await File.WriteAllTextAsync(path, string.Concat(records.Select(r => TrainingRecordFactory.Line(r) + "\n")), new UTF8Encoding(false));
        return path;
    }

    private static Task<AppHostProcess.Outcome> RunAsync(params string[] arguments) => AppHostProcess.RunDllAsync(s_cli, arguments);

    [GeneratedRegex(@"^#(\d+) quarantined", RegexOptions.Multiline)]
    private static partial Regex QuarantineId();
}

using System.Text;
using System.Text.Json;
using SiteCraft.Ml.IntegrationTests.Contracts;

namespace SiteCraft.Ml.IntegrationTests.Cli;

/// <summary>
/// `sitecraft-ml contracts validate` run as a real process on files it has never seen: what it
/// prints, on which stream, and the exit code a CI script acts on. Offline: no AppHost, no database.
/// </summary>
public sealed class ContractsValidateCliTests : IDisposable
{
    private static readonly string s_cli = Path.Combine(AppContext.BaseDirectory, "sitecraft-ml.dll");

    private readonly string _folder = Directory.CreateTempSubdirectory("sitecraft-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_file_of_valid_records_exits_0_with_the_summary()
    {
        var file = await WriteAsync("valid.jsonl", Lines(TrainingRecordFactory.Valid(), TrainingRecordFactory.Valid(), TrainingRecordFactory.Valid()));

        var outcome = await RunAsync("contracts", "validate", file);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("3 records: 3 valid, 0 invalid", outcome.StandardOutput);
        Assert.DoesNotContain($"{file}:", outcome.StandardOutput);
        Assert.Equal("", outcome.StandardError);
    }

    [Fact]
    public async Task Each_violation_is_reported_with_the_line_of_its_record()
    {
        var file = await WriteAsync("mixed.jsonl", MixedFile());

        var outcome = await RunAsync("contracts", "validate", file);

        Assert.Equal(1, outcome.ExitCode);
        var stdout = outcome.StandardOutput;
        Assert.Contains($"{file}:2: completion required: completion is required and missing", stdout);
        Assert.Contains($"{file}:4: consent type: expected a boolean, got a string (yes)", stdout);
        Assert.Contains($"{file}:5: $ encoding.utf8: the record is not valid UTF-8: byte 0xe9", stdout);
        Assert.Contains($"{file}:6: $ json.syntax: the record is not valid JSON", stdout);
        Assert.DoesNotContain($"{file}:1:", stdout);
        Assert.DoesNotContain($"{file}:3:", stdout);
        Assert.DoesNotContain($"{file}:7:", stdout);
        Assert.Contains("6 records: 2 valid, 4 invalid", stdout);
        Assert.Matches(@"encoding\.utf8\s*│\s*1\s*│\s*1", stdout);
        // Redirected output is for logs and files: no colours, no cursor movement, no progress bar.
        Assert.DoesNotContain('\u001b', stdout + outcome.StandardError);
    }

    [Fact]
    public async Task The_json_format_is_one_document_with_the_counts_and_each_invalid_line()
    {
        var file = await WriteAsync("mixed.jsonl", MixedFile());

        var outcome = await RunAsync("contracts", "validate", file, "--format", "json");

        Assert.Equal(1, outcome.ExitCode);
        using var report = JsonDocument.Parse(outcome.StandardOutput);
        var root = report.RootElement;
        Assert.Equal("ai_training_examples", root.GetProperty("contract").GetString());
        Assert.Equal(6, root.GetProperty("record_count").GetInt64());
        Assert.Equal(2, root.GetProperty("valid_count").GetInt64());
        Assert.Equal(4, root.GetProperty("invalid_count").GetInt64());
        Assert.Equal(0, root.GetProperty("unlisted_invalid_count").GetInt64());
        var records = root.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal([2L, 4L, 5L, 6L], records.Select(r => r.GetProperty("line").GetInt64()));
        Assert.Equal("completion", records[0].GetProperty("violations")[0].GetProperty("path").GetString());
        Assert.Equal("encoding.utf8", records[2].GetProperty("violations")[0].GetProperty("rule").GetString());
        var rules = root.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("rule").GetString()!, r => r.GetProperty("record_count").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["required"] = 1, ["type"] = 1, ["encoding.utf8"] = 1, ["json.syntax"] = 1 }, rules);
    }

    [Fact]
    public async Task Records_past_show_are_counted_but_not_listed()
    {
        var bad = Enumerable.Range(0, 5).Select(_ => TrainingRecordFactory.With("use_case", "site.unknown"));
        var file = await WriteAsync("many.jsonl", Lines([TrainingRecordFactory.Valid(), .. bad]));

        var outcome = await RunAsync("contracts", "validate", file, "--show", "2");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains($"{file}:2: use_case validValues:", outcome.StandardOutput);
        Assert.Contains($"{file}:3: use_case validValues:", outcome.StandardOutput);
        Assert.DoesNotContain($"{file}:4:", outcome.StandardOutput);
        Assert.Contains("3 more invalid records", outcome.StandardOutput);
        Assert.Contains("6 records: 1 valid, 5 invalid", outcome.StandardOutput);
    }

    [Fact]
    public async Task A_record_of_megabytes_is_read_as_one_line()
    {
        // 3 MB spans many of the reader's 256 KB reads; the contract allows 100,000 characters.
        var huge = TrainingRecordFactory.Valid(completion: new string('a', 3_000_000));
        var file = await WriteAsync("huge.jsonl", Lines(TrainingRecordFactory.Valid(), huge, TrainingRecordFactory.Valid()));

        var outcome = await RunAsync("contracts", "validate", file);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains($"{file}:2: completion maxLength:", outcome.StandardOutput);
        Assert.Contains("3 records: 2 valid, 1 invalid", outcome.StandardOutput);
    }

    [Fact]
    public async Task A_missing_file_exits_2_naming_it()
    {
        var missing = Path.Combine(_folder, "nowhere.jsonl");

        var outcome = await RunAsync("contracts", "validate", missing);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal($"sitecraft-ml: file '{missing}' does not exist", outcome.StandardError.TrimEnd());
        Assert.Equal("", outcome.StandardOutput);
    }

    [Fact]
    public async Task An_unknown_contract_exits_2_naming_the_known_ones()
    {
        var file = await WriteAsync("valid.jsonl", Lines(TrainingRecordFactory.Valid()));

        var outcome = await RunAsync("contracts", "validate", file, "--contract", "site_pages");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--contract 'site_pages' is not a contract", outcome.StandardError);
        Assert.Contains("known: ai_training_examples", outcome.StandardError);
        Assert.Equal("", outcome.StandardOutput);
    }

    [Fact]
    public async Task An_unknown_option_exits_2_naming_it()
    {
        var file = await WriteAsync("valid.jsonl", Lines(TrainingRecordFactory.Valid()));

        var outcome = await RunAsync("contracts", "validate", file, "--strict");

        Assert.Equal(2, outcome.ExitCode);
        var error = Assert.Single(outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'--strict'", error);
        Assert.Equal("", outcome.StandardOutput);
    }

    [Fact]
    public async Task A_malformed_contract_folder_exits_2_naming_the_file_and_line()
    {
        var contracts = Directory.CreateDirectory(Path.Combine(_folder, "contracts")).FullName;
        await File.WriteAllTextAsync(Path.Combine(contracts, "broken.yaml"), "apiVersion: v3.0.2\nkind: DataContract\nid: broken\nversion: not-semver\nstatus: active\n");
        var file = await WriteAsync("valid.jsonl", Lines(TrainingRecordFactory.Valid()));

        var outcome = await RunAsync("contracts", "validate", file, "--contracts-dir", contracts);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Matches(@"broken\.yaml:4:\d+: version 'not-semver'", outcome.StandardError);
        Assert.Equal("", outcome.StandardOutput);
    }

    /// <summary>
    /// Line 1 valid (CRLF), 2 lacks completion, 3 empty, 4 has consent "yes", 5 holds a byte that
    /// is not UTF-8, 6 is not JSON, 7 valid without a final newline.
    /// </summary>
    private static byte[] MixedFile()
    {
        var notUtf8 = Encoding.UTF8.GetBytes(TrainingRecordFactory.Line(TrainingRecordFactory.Valid(completion: "Caf# au lait and fresh croissants every morning.")));
        notUtf8[Array.IndexOf(notUtf8, (byte)'#')] = 0xE9;
        using var file = new MemoryStream();
        file.Write(Encoding.UTF8.GetBytes(TrainingRecordFactory.Line(TrainingRecordFactory.Valid()) + "\r\n"));
        file.Write(Encoding.UTF8.GetBytes(TrainingRecordFactory.Line(TrainingRecordFactory.Without("completion")) + "\n\n"));
        file.Write(Encoding.UTF8.GetBytes(TrainingRecordFactory.Line(TrainingRecordFactory.With("consent", "yes")) + "\n"));
        file.Write(notUtf8);
        file.Write("\nthis line is not JSON at all\n"u8);
        file.Write(Encoding.UTF8.GetBytes(TrainingRecordFactory.Line(TrainingRecordFactory.Valid())));
        return file.ToArray();
    }

    private static byte[] Lines(params IEnumerable<System.Text.Json.Nodes.JsonNode> records) =>
        Encoding.UTF8.GetBytes(string.Concat(records.Select(r => TrainingRecordFactory.Line(r) + "\n")));

    private async Task<string> WriteAsync(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    private static Task<AppHostProcess.Outcome> RunAsync(params string[] arguments) => AppHostProcess.RunDllAsync(s_cli, arguments);
}

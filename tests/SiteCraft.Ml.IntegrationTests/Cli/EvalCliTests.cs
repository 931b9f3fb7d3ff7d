using System.Text.Json.Nodes;
using SiteCraft.Ml.IntegrationTests.Evals;
using SiteCraft.Ml.IntegrationTests.Inference;

namespace SiteCraft.Ml.IntegrationTests.Cli;

/// <summary>`sitecraft-ml eval …` as a real process against the running platform (database and inference).</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class EvalCliTests(PlatformFixture platform) : IDisposable
{
    private static readonly string s_cli = Path.Combine(AppContext.BaseDirectory, "sitecraft-ml.dll");

    private readonly string _folder = Directory.CreateTempSubdirectory("sitecraft-eval-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Eval_run_writes_the_report_and_ingest_script_the_export_has_every_sample_and_the_script_applies_twice()
    {
        await using var scope = await EvalScope.CreateAsync(platform, models: "echo");
        var artifacts = Path.Combine(_folder, "artifacts");

        var run = await RunAsync(await PlatformArgsAsync(scope, "eval", "run", "--suite", EvalScope.CopySuite, "--out", artifacts, "--gate"));
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(artifacts, "eval_run_report.json")))!;
        var runId = report["run"]!["run_id"]!.GetValue<string>();
        var exportFile = Path.Combine(_folder, "samples.jsonl");
        var export = await RunAsync("eval", "export", "--run", runId, "--out", exportFile, "--connection", await platform.ConnectionStringAsync());
        var sqlFile = Path.Combine(_folder, "again.sql");
        var ingest = await RunAsync("eval", "ingest-sql", "--report", Path.Combine(artifacts, "eval_run_report.json"), "--out", sqlFile);

        Assert.True(run.ExitCode == 0, run.StandardError + run.StandardOutput);
        Assert.Contains("pass rate", run.StandardOutput);
        Assert.Contains("gate passed", run.StandardOutput);
        Assert.Equal(40, report["samples"]!.AsArray().Count);
        Assert.Equal(0, export.ExitCode);
        Assert.Equal(40, (await File.ReadAllLinesAsync(exportFile)).Length);
        Assert.Equal(0, ingest.ExitCode);

        // The script lands the same rows in an empty database, and again without change.
        var connection = await MigratedDatabase.CreateAsync(platform, "evalcli");
        await using var fresh = new NpgsqlDataSourceOwner(connection);
        var sql = await File.ReadAllTextAsync(sqlFile);
        await ExecuteAsync(fresh, sql);
        var first = await fresh.StringsAsync("select case_id || ':' || repeat || ':' || passed || ':' || output from ai_eval_samples order by case_id, repeat");
        await ExecuteAsync(fresh, sql);
        var second = await fresh.StringsAsync("select case_id || ':' || repeat || ':' || passed || ':' || output from ai_eval_samples order by case_id, repeat");
        Assert.Equal(40, first.Count);
        Assert.Equal(first, second);
        Assert.Equal(1L, await fresh.ScalarAsync<long>("select count(*) from ai_eval_runs"));
    }

    [Fact]
    public async Task Eval_gate_exits_1_when_the_gate_fails_and_usage_errors_exit_2_naming_what_is_wrong()
    {
        await using var scope = await EvalScope.CreateAsync(platform, models: "echo");
        var failing = await scope.RunToEndAsync(scope.Pinned(EvalScope.SeoSuite, "echo", limit: 30));

        var gate = await RunAsync("eval", "gate", "--run", failing.RunId, "--connection", await platform.ConnectionStringAsync(),
            "--gates", Path.Combine(AppContext.BaseDirectory, "evals", "gates.yaml"));
        var unknownSuite = await RunAsync(await PlatformArgsAsync(scope, "eval", "run", "--suite", "no-such-suite"));
        var unknownModel = await RunAsync(await PlatformArgsAsync(scope, "eval", "run", "--suite", EvalScope.CopySuite, "--provider", InferenceScope.OpenAIProvider, "--model", "nope"));
        var noInference = await RunAsync("eval", "run", "--suite", EvalScope.CopySuite, "--connection", await platform.ConnectionStringAsync());

        Assert.Equal(1, gate.ExitCode);
        Assert.Contains("pass_rate_lower_bound", gate.StandardOutput);
        Assert.Contains("gate failed", gate.StandardOutput);
        Assert.Equal(2, unknownSuite.ExitCode);
        Assert.Contains("no suite 'no-such-suite'", unknownSuite.StandardError);
        Assert.Equal(2, unknownModel.ExitCode);
        Assert.Contains("model: 'nope' is not a model of test-openai", unknownModel.StandardError);
        Assert.Equal(2, noInference.ExitCode);
        Assert.Contains("--inference is required", noInference.StandardError);
    }

    private async Task<string[]> PlatformArgsAsync(EvalScope scope, params string[] arguments)
    {
        // --provider/--model default to the echo model unless the caller names its own.
        string[] pinned = arguments.Contains("--provider") ? [] : ["--provider", InferenceScope.OpenAIProvider, "--model", "echo"];
        return
        [
            .. arguments, .. pinned,
            "--environment", scope.Environment,
            "--connection", await platform.ConnectionStringAsync(),
            "--inference", platform.App.GetEndpoint("inference", "grpc").ToString(),
            "--admin-token", await InferenceScope.AdminTokenAsync(platform),
            "--suites", PlatformFixture.EvalSuitesDirectory,
            "--gates", Path.Combine(AppContext.BaseDirectory, "evals", "gates.yaml"),
        ];
    }

    private static async Task ExecuteAsync(NpgsqlDataSourceOwner db, string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static Task<AppHostProcess.Outcome> RunAsync(params string[] arguments) => AppHostProcess.RunDllAsync(s_cli, arguments);
}

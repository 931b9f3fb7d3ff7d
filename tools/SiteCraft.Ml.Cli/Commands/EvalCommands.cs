using SiteCraft.Ml.Cli.Evals;
using SiteCraft.Ml.Evals.Core.Reports;
using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Data;

namespace SiteCraft.Ml.Cli.Commands;

/// <summary>
/// The "eval" command group: the seed's eval scripts as commands. Exit codes: 0 passed, 1 a run,
/// suite or gate failed, 2 a usage or configuration error (unknown suite or target, bad option).
/// </summary>
public static class EvalCommands
{
    public const string DefaultArtifacts = "artifacts/evals";
    public const string ReportFile = "eval_run_report.json";
    public const string IngestFile = "eval_run_ingest.sql";

    public static Command Create() => new("eval", "Evaluations: run suites through the inference service, report, compare, gate, export.")
    {
        Run(),
        Report(),
        Compare(),
        Gate(),
        Export(),
        IngestSql(),
    };

    private static Command Run()
    {
        var connection = new EvalConnection();
        var suite = new Option<string?>("--suite") { Description = "The suite id (docs/evals/suites).", HelpName = "ID" };
        var resume = new Option<Guid?>("--resume") { Description = "Continue an interrupted run instead of starting one.", HelpName = "RUN_ID" };
        var environment = new Option<string>("--environment") { Description = "The routing environment whose providers answer.", DefaultValueFactory = _ => "development", HelpName = "ENV" };
        var provider = new Option<string?>("--provider") { Description = "Pin this provider (with --model); without both, the environment's routing policy answers.", HelpName = "PROVIDER" };
        var model = new Option<string?>("--model") { Description = "Pin this model (with --provider).", HelpName = "MODEL" };
        var repeats = new Option<int?>("--repeats") { Description = "Samples per case (default: the suite's).", HelpName = "K" };
        var limit = new Option<int?>("--limit") { Description = "Only the first N cases.", HelpName = "N" };
        var noCache = new Option<bool>("--no-cache") { Description = "Generate every sample even when a cached response exists." };
        var baseline = new Option<Guid?>("--baseline") { Description = "Compare with this run.", HelpName = "RUN_ID" };
        var gate = new Option<bool>("--gate") { Description = "Evaluate the use case's gate when the run completes; exit 1 if it fails." };
        var output = new Option<DirectoryInfo>("--out") { Description = $"Where {ReportFile} and {IngestFile} go.", DefaultValueFactory = _ => new DirectoryInfo(DefaultArtifacts), HelpName = "DIR" };

        var command = new Command("run", $"Run a suite against a target; write {ReportFile} and {IngestFile}. Exit 1 when the run fails, the suite misses its pass threshold, or (--gate) the gate fails.")
        {
            suite, resume, environment, provider, model, repeats, limit, noCache, baseline, gate, output,
        };
        connection.AddTo(command, inference: true);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (runner, store, dataSource, channel) = await connection.RunnerAsync(parse, cancellationToken);
            await using var _ = dataSource;
            using var __ = channel;
            EvalRun created;
            try
            {
                if (parse.GetValue(resume) is { } runId)
                {
                    created = await store.GetRunAsync(runId, cancellationToken) ?? throw new UsageException($"--resume: no run {runId}");
                }
                else
                {
                    var suiteId = parse.GetValue(suite) ?? throw new UsageException("--suite is required (or --resume RUN_ID)");
                    created = await runner.CreateRunAsync(
                        new RunRequest(suiteId, EvalTarget.Create(parse.GetRequiredValue(environment), parse.GetValue(provider), parse.GetValue(model)),
                            parse.GetValue(repeats), parse.GetValue(limit), parse.GetValue(baseline), !parse.GetValue(noCache), "cli"),
                        cancellationToken);
                }
            }
            catch (EvalRequestException e)
            {
                throw new UsageException(e.Message, e);
            }

            await Console.Error.WriteLineAsync($"run {created.RunId}: {created.SuiteId} against {Target(created)}");
            var total = created.Params["total_samples"]?.GetValue<int>() ?? 0;
            var finished = await EvalProgressBar.RunAsync(created.SuiteId ?? "run", total, progress => runner.ExecuteAsync(created.RunId, progress, cancellationToken))
                ?? throw new UsageException($"run {created.RunId} is being executed by another process (its advisory lock is held)");

            var samples = await store.LoadSamplesAsync(finished.RunId, cancellationToken);
            var aggregates = RunAggregator.Aggregate(samples, finished.Params["pass_threshold"]?.GetValue<double>() ?? 1);
            await WriteArtifactsAsync(parse.GetRequiredValue(output), finished, aggregates, samples, cancellationToken);
            await Console.Out.WriteLineAsync(RunText.Summary(finished, aggregates));

            var exit = finished.Status == "completed" && aggregates.SuitePassed ? ExitCodes.Ok : ExitCodes.Findings;
            if (parse.GetValue(gate) && finished.TargetProvider is not null)
            {
                var decision = await new GateService(store, connection.Policies(parse)).EvaluateAsync(finished.RunId, null, cancellationToken);
                await Console.Out.WriteLineAsync(RunText.Gate(decision));
                exit = decision.Outcome.Passed ? exit : ExitCodes.Findings;
            }

            return exit;
        });
        return command;
    }

    private static Command Report()
    {
        var connection = new EvalConnection();
        var run = new Option<Guid>("--run") { Description = "The run.", Required = true, HelpName = "RUN_ID" };
        var output = new Option<DirectoryInfo>("--out") { Description = $"Where {ReportFile} and {IngestFile} go.", DefaultValueFactory = _ => new DirectoryInfo(DefaultArtifacts), HelpName = "DIR" };
        var command = new Command("report", $"Write a run's {ReportFile} (metadata, aggregates with intervals, every sample) and {IngestFile}; print its summary.") { run, output };
        connection.Database.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var dataSource = await connection.Database.OpenAsync(parse, cancellationToken);
            var store = new EvalStore(dataSource);
            var found = await store.GetRunAsync(parse.GetRequiredValue(run), cancellationToken) ?? throw new UsageException($"--run: no run {parse.GetRequiredValue(run)}");
            var samples = await store.LoadSamplesAsync(found.RunId, cancellationToken);
            var aggregates = RunAggregator.Aggregate(samples, found.Params["pass_threshold"]?.GetValue<double>() ?? 1);
            await WriteArtifactsAsync(parse.GetRequiredValue(output), found, aggregates, samples, cancellationToken);
            await Console.Out.WriteLineAsync(RunText.Summary(found, aggregates));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Compare()
    {
        var connection = new EvalConnection();
        var baseline = new Option<Guid>("--baseline") { Description = "The baseline run.", Required = true, HelpName = "RUN_ID" };
        var candidate = new Option<Guid>("--candidate") { Description = "The candidate run.", Required = true, HelpName = "RUN_ID" };
        var top = new Option<int>("--top") { Description = "Per-case differences to list.", DefaultValueFactory = _ => 10, HelpName = "N" };
        var failOnRegression = new Option<bool>("--fail-on-regression") { Description = "Exit 1 when the candidate is significantly worse (95% interval below 0)." };
        var command = new Command("compare", "Paired comparison of two runs on their shared cases: mean difference, its 95% interval, p-value, regressions.")
        {
            baseline, candidate, top, failOnRegression,
        };
        connection.Database.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var dataSource = await connection.Database.OpenAsync(parse, cancellationToken);
            var store = new EvalStore(dataSource);
            var baselineId = parse.GetRequiredValue(baseline);
            var candidateId = parse.GetRequiredValue(candidate);
            _ = await store.GetRunAsync(baselineId, cancellationToken) ?? throw new UsageException($"--baseline: no run {baselineId}");
            _ = await store.GetRunAsync(candidateId, cancellationToken) ?? throw new UsageException($"--candidate: no run {candidateId}");
            RunComparison comparison;
            try
            {
                comparison = RunComparer.Compare(await store.LoadSamplesAsync(baselineId, cancellationToken), await store.LoadSamplesAsync(candidateId, cancellationToken));
            }
            catch (NoSharedCasesException e)
            {
                throw new UsageException(e.Message, e);
            }

            await Console.Out.WriteLineAsync(RunText.Comparison(comparison, parse.GetValue(top)));
            return parse.GetValue(failOnRegression) && comparison.Paired.Confidence95.Upper < 0 ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    private static Command Gate()
    {
        var connection = new EvalConnection();
        var run = new Option<Guid>("--run") { Description = "The finished run, pinned to the model to gate.", Required = true, HelpName = "RUN_ID" };
        var environment = new Option<string?>("--environment") { Description = "The environment the decision is for (default: the run's).", HelpName = "ENV" };
        var command = new Command("gate", "Apply the use case's gate policy to a run and record the decision in ai_eval_gates (routing reads it). Exit 1 when it fails.")
        {
            run, environment,
        };
        connection.Database.AddTo(command);
        command.Options.Add(connection.Gates);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var policies = connection.Policies(parse);
            await using var dataSource = await connection.Database.OpenAsync(parse, cancellationToken);
            try
            {
                var decision = await new GateService(new EvalStore(dataSource), policies).EvaluateAsync(parse.GetRequiredValue(run), parse.GetValue(environment), cancellationToken);
                await Console.Out.WriteLineAsync(RunText.Gate(decision));
                return decision.Outcome.Passed ? ExitCodes.Ok : ExitCodes.Findings;
            }
            catch (EvalRequestException e)
            {
                throw new UsageException(e.Message, e);
            }
        });
        return command;
    }

    private static Command Export()
    {
        var connection = new EvalConnection();
        var output = new Option<FileInfo>("--out") { Description = "The JSONL file to write ('-' for standard output).", Required = true, HelpName = "FILE" };
        var run = new Option<Guid?>("--run") { Description = "Only this run.", HelpName = "RUN_ID" };
        var suite = new Option<string?>("--suite") { Description = "Only runs of this suite.", HelpName = "ID" };
        var useCase = new Option<string?>("--use-case") { Description = "Only runs of this use case.", HelpName = "ID" };
        var provider = new Option<string?>("--provider") { Description = "Only runs against this provider.", HelpName = "PROVIDER" };
        var model = new Option<string?>("--model") { Description = "Only runs against this model.", HelpName = "MODEL" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Only samples created at or after this time (ISO 8601).", HelpName = "TIME" };
        var before = new Option<DateTimeOffset?>("--before") { Description = "Only samples created before this time (ISO 8601).", HelpName = "TIME" };
        var outcome = new Option<string?>("--outcome") { Description = "Only passed, failed or error samples.", HelpName = "OUTCOME" };
        outcome.AcceptOnlyFromAmong(EvalExportFilter.Outcomes);
        var command = new Command("export", "Export eval samples with their run's metadata from Postgres as JSON Lines (the seed's export script).")
        {
            output, run, suite, useCase, provider, model, from, before, outcome,
        };
        connection.Database.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var dataSource = await connection.Database.OpenAsync(parse, cancellationToken);
            var filter = new EvalExportFilter(parse.GetValue(run), parse.GetValue(suite), parse.GetValue(useCase), parse.GetValue(provider),
                parse.GetValue(model), parse.GetValue(from), parse.GetValue(before), parse.GetValue(outcome));
            var target = parse.GetRequiredValue(output);
            var toStdout = target.Name == "-";
            await using var stream = toStdout ? Console.OpenStandardOutput() : OpenForWrite(target);
            var count = await EvalExport.WriteJsonlAsync(dataSource, filter, stream, cancellationToken);
            await Console.Error.WriteLineAsync($"{count} samples exported{(toStdout ? "" : $" to {target.FullName}")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command IngestSql()
    {
        var report = new Option<FileInfo>("--report") { Description = $"The run report to turn into SQL (default {DefaultArtifacts}/{ReportFile}).", DefaultValueFactory = _ => new FileInfo(Path.Combine(DefaultArtifacts, ReportFile)), HelpName = "FILE" };
        var output = new Option<FileInfo>("--out") { Description = $"The SQL file (default {DefaultArtifacts}/{IngestFile}).", DefaultValueFactory = _ => new FileInfo(Path.Combine(DefaultArtifacts, IngestFile)), HelpName = "FILE" };
        var command = new Command("ingest-sql", $"Generate {IngestFile} from a run report: one transaction that upserts the run and its samples into ai_eval_runs / ai_eval_samples, safe to apply twice.")
        {
            report, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = parse.GetRequiredValue(report);
            if (!source.Exists)
            {
                throw new UsageException($"--report: {source.FullName} does not exist (write one with 'sitecraft-ml eval report --run RUN_ID')");
            }

            RunReport read;
            await using (var input = source.OpenRead())
            {
                try
                {
                    read = await RunReportReader.ReadAsync(input, cancellationToken);
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or FormatException)
                {
                    throw new UsageException($"--report: {source.FullName} is not a run report: {e.Message}", e);
                }
            }

            var target = parse.GetRequiredValue(output);
            await using (var writer = new StreamWriter(OpenForWrite(target)))
            {
                IngestSqlWriter.Write(writer, read.Run, read.Aggregates, read.Samples);
            }

            await Console.Out.WriteLineAsync($"{target.FullName}: run {read.Run.RunId}, {read.Samples.Count} samples");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task WriteArtifactsAsync(DirectoryInfo folder, EvalRun run, RunAggregates aggregates, List<EvalSample> samples, CancellationToken cancellationToken)
    {
        folder.Create();
        var reportPath = Path.Combine(folder.FullName, ReportFile);
        await using (var stream = File.Create(reportPath))
        {
            await RunReportWriter.WriteAsync(stream, run, aggregates, samples, cancellationToken);
        }

        var sqlPath = Path.Combine(folder.FullName, IngestFile);
        await using (var writer = new StreamWriter(File.Create(sqlPath)))
        {
            IngestSqlWriter.Write(writer, run, aggregates, samples);
        }

        await Console.Error.WriteLineAsync($"wrote {reportPath} and {sqlPath}");
    }

    private static FileStream OpenForWrite(FileInfo file)
    {
        file.Directory?.Create();
        return file.Create();
    }

    private static string Target(EvalRun run) => run.TargetProvider is null
        ? $"the {run.Environment} routing policy"
        : $"{run.TargetProvider}/{run.TargetModel} in {run.Environment}";
}

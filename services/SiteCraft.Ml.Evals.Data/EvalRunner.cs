using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Core.Scoring;
using SiteCraft.Ml.Evals.Core.Suites;

namespace SiteCraft.Ml.Evals.Data;

/// <summary>What to run: a suite against a target.</summary>
/// <param name="SuiteId">The suite (docs/evals/suites).</param>
/// <param name="Target">A pinned provider and model, or an environment's routing policy.</param>
/// <param name="Repeats">Samples per case; null takes the suite's default.</param>
/// <param name="Limit">Only the first N cases; null runs them all.</param>
/// <param name="BaselineRunId">The run to compare with; null picks the latest run of the serving model when gating.</param>
/// <param name="UseCache">Reuse cached responses for identical (target, parameters, input, repeat).</param>
/// <param name="RequestedBy">Who asked (stored in metadata).</param>
/// <param name="GitSha">The commit of the suite files, when known.</param>
/// <param name="Labels">Extra metadata (e.g. the nightly slot).</param>
public sealed record RunRequest(
    string SuiteId, EvalTarget Target, int? Repeats = null, int? Limit = null, Guid? BaselineRunId = null, bool UseCache = true,
    string? RequestedBy = null, string? GitSha = null, IReadOnlyDictionary<string, string>? Labels = null);

/// <summary>
/// Runs suites through the inference service. A run is created pending, then executed by whoever
/// holds its advisory lock: samples are written as they finish, so a run whose process dies is
/// picked up again and continues with the samples it lacks. Errors are recorded per sample and
/// never scored; a run whose error rate exceeds <see cref="EvalRunOptions.MaxErrorRate"/> fails.
/// </summary>
public sealed class EvalRunner(
    EvalStore store, SuiteCatalog catalog, InferenceCaller inference, ProviderLimits limits, EvalRunOptions options, ILogger<EvalRunner> logger)
{
    private static readonly string[] s_finished = ["completed", "failed", "cancelled"];

    /// <summary>Checks the request and its target, records the suite version, and creates a pending run.</summary>
    public async Task<EvalRun> CreateRunAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var suite = catalog.Get(request.SuiteId);
        var repeats = request.Repeats ?? suite.Defaults.Repeats;
        if (repeats is < 1 or > 20)
        {
            throw new EvalRequestException("repeats", $"must be 1 to 20, got {repeats}");
        }

        if (request.Limit is < 0)
        {
            throw new EvalRequestException("limit", $"must be ≥ 0, got {request.Limit}");
        }

        if (request.BaselineRunId is { } baseline && await store.GetRunAsync(baseline, cancellationToken) is null)
        {
            throw new EvalRequestException("baseline_run_id", $"no run {baseline}", EvalRequestError.NotFound);
        }

        await ValidateTargetAsync(request.Target, suite.UseCase, cancellationToken);
        await store.SyncSuitesAsync([suite], cancellationToken);

        var cases = request.Limit is > 0 ? Math.Min(request.Limit.Value, suite.Cases.Count) : suite.Cases.Count;
        var parameters = new JsonObject
        {
            ["system"] = suite.Defaults.System,
            ["max_tokens"] = suite.Defaults.MaxTokens,
            ["temperature"] = suite.Defaults.Temperature,
            ["top_p"] = suite.Defaults.TopP,
            ["seed"] = suite.Defaults.Seed,
            ["response_format"] = suite.Defaults.ResponseFormat,
            ["limit"] = request.Limit is > 0 ? request.Limit : null,
            ["case_count"] = cases,
            ["total_samples"] = cases * repeats,
            ["use_cache"] = request.UseCache,
            ["max_error_rate"] = options.MaxErrorRate,
            ["pass_threshold"] = suite.PassThreshold,
        };
        var metadata = new JsonObject { ["requested_by"] = request.RequestedBy ?? "unknown", ["suite_source"] = Path.GetFileName(suite.SourcePath) };
        foreach (var (key, value) in request.Labels ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }

        var run = await store.CreateRunAsync(suite, request.Target, repeats, request.BaselineRunId, parameters, metadata, request.GitSha, cancellationToken);
        EvalLog.RunCreated(logger, run.RunId, suite.SuiteId, cases * repeats, request.Target);
        return run;
    }

    /// <summary>
    /// A clear error before any work when the target cannot answer: an unknown or disabled provider,
    /// a model the provider does not list, or (for a policy target) no active policy.
    /// </summary>
    public async Task ValidateTargetAsync(EvalTarget target, string useCase, CancellationToken cancellationToken)
    {
        if (!target.IsPinned)
        {
            if (!await store.HasActivePolicyAsync(target.Environment, useCase, cancellationToken))
            {
                throw new EvalRequestException("environment", $"no active routing policy for {useCase} in '{target.Environment}'");
            }

            return;
        }

        Inference.V1.ListProvidersResponse providers;
        try
        {
            providers = await inference.ListProvidersAsync(target.Environment, cancellationToken);
        }
        catch (Grpc.Core.RpcException e)
        {
            throw new EvalRequestException("target", $"the inference service did not list the providers of '{target.Environment}': {e.StatusCode}: {e.Status.Detail}");
        }

        var provider = providers.Providers.FirstOrDefault(p => p.Provider == target.Provider)
            ?? throw new EvalRequestException("provider",
                $"'{target.Provider}' is not a provider of environment '{target.Environment}' (known: {string.Join(", ", providers.Providers.Select(p => p.Provider))})");
        if (!provider.Enabled)
        {
            throw new EvalRequestException("provider", $"'{target.Provider}' is disabled in '{target.Environment}': {provider.DisabledReason}");
        }

        if (!provider.Models.Any(m => m.Model == target.Model))
        {
            throw new EvalRequestException("model",
                $"'{target.Model}' is not a model of {target.Provider} (known: {string.Join(", ", provider.Models.Select(m => m.Model))}; register it in ai_models)");
        }
    }

    /// <summary>
    /// Executes (or resumes) a run. Returns null when another process holds it. Cancelling leaves the
    /// run "running" with the samples it has, for the next holder to continue.
    /// </summary>
    public async Task<EvalRun?> ExecuteAsync(Guid runId, IProgress<EvalProgress>? progress, CancellationToken cancellationToken)
    {
        await using var hold = await AdvisoryLock.TryAcquireAsync(store.DataSource, $"eval-run:{runId:N}", cancellationToken);
        if (hold is null)
        {
            return null;
        }

        var run = await store.GetRunAsync(runId, cancellationToken)
            ?? throw new EvalRequestException("run_id", $"no run {runId}", EvalRequestError.NotFound);
        if (s_finished.Contains(run.Status))
        {
            return run;
        }

        var suite = run.SuiteId is null ? null : catalog.Find(run.SuiteId, run.SuiteHash!);
        if (suite is null)
        {
            return await FailAsync(run, run.SuiteId is null
                ? "the run has no suite"
                : $"suite '{run.SuiteId}' changed since the run was created (hash {run.SuiteHash![..12]}…, the file now has {Describe(catalog, run.SuiteId)}); start a new run", cancellationToken);
        }

        var target = new EvalTarget(run.Environment ?? "development", run.TargetProvider, run.TargetModel);
        try
        {
            await ValidateTargetAsync(target, suite.UseCase, cancellationToken);
        }
        catch (EvalRequestException e)
        {
            return await FailAsync(run, e.Message, cancellationToken);
        }

        await store.MarkRunningAsync(runId, cancellationToken);
        var limit = run.Params["limit"]?.GetValue<int?>();
        var useCache = run.Params["use_cache"]?.GetValue<bool>() ?? true;
        var maxErrorRate = run.Params["max_error_rate"]?.GetValue<double>() ?? options.MaxErrorRate;
        var cases = limit is > 0 ? suite.Cases.Take(limit.Value).ToList() : suite.Cases.ToList();
        var total = cases.Count * run.Repeats;
        var done = await store.DoneKeysAsync(runId, cancellationToken);
        var work = cases.SelectMany(c => Enumerable.Range(0, run.Repeats).Select(r => (Case: c, Repeat: r)))
            .Where(w => !done.Contains((w.Case.Id, w.Repeat)))
            .ToList();
        EvalLog.RunStarting(logger, runId, work.Count, total, target);

        var counter = new ProgressCounter(runId, total, done.Count, Stopwatch.GetTimestamp());
        var policyVersions = new ConcurrentDictionary<int, int>();
        string? fatal = null;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var gate = limits.For(target.Provider);
        try
        {
            await Parallel.ForEachAsync(
                work,
                new ParallelOptions { MaxDegreeOfParallelism = limits.LimitFor(target.Provider), CancellationToken = abort.Token },
                async (item, token) =>
                {
                    await gate.WaitAsync(token);
                    (EvalSample Sample, GenerationOutcome Outcome) result;
                    try
                    {
                        result = await SampleAsync(run, suite, target, item.Case, item.Repeat, useCache, token);
                    }
                    finally
                    {
                        gate.Release();
                    }

                    if (result.Outcome.Fatal)
                    {
                        fatal ??= result.Outcome.Error;
                        await abort.CancelAsync();
                        return;
                    }

                    if (result.Outcome.PolicyVersion is { } version)
                    {
                        policyVersions.AddOrUpdate(version, 1, (_, n) => n + 1);
                    }

                    await store.InsertSampleAsync(runId, result.Sample, token);
                    progress?.Report(counter.Add(result.Sample.Error is not null));
                });
        }
        catch (OperationCanceledException) when (fatal is not null)
        {
            return await FailAsync(run, $"stopped: {fatal}", cancellationToken);
        }

        var samples = await store.LoadSamplesAsync(runId, cancellationToken);
        var aggregates = RunAggregator.Aggregate(samples, suite.PassThreshold);
        var errors = samples.Count(s => s.Error is not null);
        var errorRate = samples.Count == 0 ? 1.0 : (double)errors / samples.Count;
        var failure = errorRate > maxErrorRate
            ? string.Create(CultureInfo.InvariantCulture,
                $"error rate {errorRate:0.###} exceeds {maxErrorRate:0.###} ({errors} of {samples.Count} samples errored; first: {samples.First(s => s.Error is not null).Error})")
            : null;
        var policyVersion = policyVersions.IsEmpty ? (int?)null : policyVersions.MaxBy(p => p.Value).Key;
        await store.FinishRunAsync(runId, failure is null ? "completed" : "failed", aggregates, errorRate, failure, policyVersion, cancellationToken);
        EvalLog.RunFinished(logger, runId, failure is null ? "completed" : "failed", samples.Count, errorRate);
        var finished = (await store.GetRunAsync(runId, cancellationToken))!;
        progress?.Report(counter.Final(finished.Status, samples.Count, errors));
        return finished;
    }

    /// <summary>The key of the response cache: SHA-256 of the canonical JSON of target, parameters, input and repeat.</summary>
    public static string CacheKey(EvalTarget target, string useCase, SuiteDefaults defaults, IReadOnlyList<SuiteMessage> messages, int repeat)
    {
        var key = new JsonObject
        {
            ["v"] = 1,
            ["environment"] = target.Environment,
            ["provider"] = target.Provider,
            ["model"] = target.Model,
            ["use_case"] = useCase,
            ["system"] = defaults.System,
            ["max_tokens"] = defaults.MaxTokens,
            ["temperature"] = defaults.Temperature,
            ["top_p"] = defaults.TopP,
            ["seed"] = defaults.Seed,
            ["response_format"] = defaults.ResponseFormat,
            ["json_schema"] = defaults.JsonSchema,
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonArray(m.Role, m.Text))]),
            ["repeat"] = repeat,
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToJsonString())));
    }

    private async Task<(EvalSample, GenerationOutcome)> SampleAsync(
        EvalRun run, SuiteDefinition suite, EvalTarget target, SuiteCase @case, int repeat, bool useCache, CancellationToken cancellationToken)
    {
        // Each repeat gets its own seed, or repeats at temperature > 0 would all draw the same text.
        var defaults = suite.Defaults with { Seed = suite.Defaults.Seed is { } seed ? seed + repeat : null };
        var key = CacheKey(target, suite.UseCase, defaults, @case.Messages, repeat);
        GenerationOutcome outcome;
        var cached = false;
        if (useCache && target.IsPinned && await store.GetCachedAsync(key, cancellationToken) is { } hit)
        {
            outcome = new GenerationOutcome(hit.Output, null, target.Provider, target.Model, null, hit.FinishReason, hit.LatencyMs, 0m, hit.InputTokens, hit.OutputTokens);
            cached = true;
        }
        else
        {
            outcome = await inference.GenerateAsync(
                target, suite.UseCase, defaults, @case.Messages, RequestId(run.RunId, @case.Id, repeat),
                new Dictionary<string, string> { ["eval_run_id"] = run.RunId.ToString(), ["eval_case_id"] = Truncate(@case.Id, 200) },
                cancellationToken);
            if (outcome.Succeeded && target.IsPinned)
            {
                await store.PutCachedAsync(key, suite.UseCase, target.Provider!, target.Model!, outcome, cancellationToken);
            }
        }

        if (!outcome.Succeeded)
        {
            return (new EvalSample(@case.Id, repeat, null, null, null, new Dictionary<string, AssertionResult>(), outcome.Error,
                null, null, null, null, false, @case.Cluster), outcome);
        }

        var verdicts = await JudgeAsync(run, suite, target, @case, outcome.Text!, cancellationToken);
        var score = SampleScorer.Score(@case.Assertions, outcome.Text!, new SampleMeasurements(outcome.LatencyMs, outcome.CostUsd), verdicts);
        return (new EvalSample(@case.Id, repeat, outcome.Text, score.Passed, score.Score, score.Scores, null, outcome.LatencyMs,
            outcome.CostUsd, outcome.InputTokens, outcome.OutputTokens, cached, @case.Cluster), outcome);
    }

    /// <summary>Asks the judge for each llm-judge assertion; an unreadable answer scores 0 with the reason.</summary>
    private async Task<Dictionary<string, JudgeVerdict>?> JudgeAsync(
        EvalRun run, SuiteDefinition suite, EvalTarget target, SuiteCase @case, string output, CancellationToken cancellationToken)
    {
        var judged = @case.Assertions.Where(a => AssertionScorer.BaseType(a.Type) == "llm-judge").ToList();
        if (judged.Count == 0)
        {
            return null;
        }

        var verdicts = new Dictionary<string, JudgeVerdict>(StringComparer.Ordinal);
        var input = @case.Messages.LastOrDefault(m => m.Role == "user")?.Text ?? "";
        foreach (var assertion in judged)
        {
            var judge = JudgeTarget(assertion.Judge ?? options.Judge, target);
            var prompt = JudgePrompt.Build(assertion.Rubric!, input, output, @case.Expected);
            var defaults = new SuiteDefaults(
                string.Join("\n\n", prompt.Where(m => m.Role == "system").Select(m => m.Text)), 200, 0, null, 1, "text", null, 1);
            var messages = prompt.Where(m => m.Role != "system").Select(m => new SuiteMessage(m.Role, m.Text)).ToList();
            var answer = await inference.GenerateAsync(
                judge, suite.UseCase, defaults, messages, RequestId(run.RunId, $"{@case.Id}/judge/{assertion.Name}", 0),
                new Dictionary<string, string> { ["eval_run_id"] = run.RunId.ToString(), ["eval_role"] = "judge" }, cancellationToken);
            verdicts[assertion.Name!] = !answer.Succeeded
                ? new JudgeVerdict(0, $"the judge failed: {answer.Error}")
                : JudgePrompt.TryParse(answer.Text!, out var verdict, out var problem)
                    ? verdict
                    : new JudgeVerdict(0, $"the judge's answer could not be read: {problem}");
        }

        return verdicts;
    }

    private static EvalTarget JudgeTarget(string? judge, EvalTarget target)
    {
        if (string.IsNullOrWhiteSpace(judge))
        {
            return target;
        }

        var slash = judge.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? new EvalTarget(target.Environment, judge[..slash], judge[(slash + 1)..]) : target;
    }

    private async Task<EvalRun> FailAsync(EvalRun run, string reason, CancellationToken cancellationToken)
    {
        EvalLog.RunFailed(logger, run.RunId, reason);
        var samples = await store.LoadSamplesAsync(run.RunId, cancellationToken);
        var aggregates = samples.Count > 0 ? RunAggregator.Aggregate(samples, run.Params["pass_threshold"]?.GetValue<double>() ?? 1) : null;
        var errorRate = samples.Count == 0 ? (double?)null : (double)samples.Count(s => s.Error is not null) / samples.Count;
        await store.FinishRunAsync(run.RunId, "failed", aggregates, errorRate, reason, null, cancellationToken);
        return (await store.GetRunAsync(run.RunId, cancellationToken))!;
    }

    private static string Describe(SuiteCatalog catalog, string suiteId)
    {
        var current = catalog.Suites.FirstOrDefault(s => s.SuiteId == suiteId);
        return current is null ? "no such suite" : $"hash {current.ContentHash[..12]}…";
    }

    /// <summary>At most 128 characters (the service's limit): long case ids are hashed.</summary>
    private static string RequestId(Guid runId, string caseId, int repeat)
    {
        var id = $"eval:{runId:N}:{caseId}:{repeat.ToString(CultureInfo.InvariantCulture)}";
        return id.Length <= 128 ? id : $"eval:{runId:N}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caseId)))[..40]}:{repeat.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>Thread-safe counts for progress events.</summary>
    private sealed class ProgressCounter(Guid runId, int total, int alreadyDone, long startedAt)
    {
        private int _done = alreadyDone;
        private int _new;
        private int _errors;

        public EvalProgress Add(bool errored)
        {
            var done = Interlocked.Increment(ref _done);
            var fresh = Interlocked.Increment(ref _new);
            var errors = errored ? Interlocked.Increment(ref _errors) : Volatile.Read(ref _errors);
            var seconds = Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
            var rate = seconds > 0 ? fresh / seconds : 0;
            return new EvalProgress(runId, "running", total, done, errors, rate, rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : null);
        }

        public EvalProgress Final(string status, int done, int errors) => new(runId, status, total, done, errors, 0, TimeSpan.Zero);
    }
}

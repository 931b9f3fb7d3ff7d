using System.Text;
using System.Text.Json.Nodes;
using SiteCraft.Ml.Benchmarks.Measurement;
using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.Evals.Core.Reports;
using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Core.Scoring;
using SiteCraft.Ml.Evals.Core.Suites;

namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>
/// The eval library in process, on one thread: samples/s of each deterministic assertion type and of
/// each shipped suite's whole assertion list, and the time to aggregate a run and write its report
/// and ingest script.
/// </summary>
public static class EvalsBenchmark
{
    public const string PageSuite = "site-page-json";
    public const string CopySuite = "site-section-copy";
    public const string SeoSuite = "site-seo-meta";

    private const string ErrorText = "UNAVAILABLE: every candidate failed";

    public static async Task<int> RunAsync(EvalsSettings settings, string commandLine, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var loaded = SuiteLoader.LoadDirectory(settings.Suites.FullName);
        if (loaded.Errors.Count > 0 || !new[] { PageSuite, CopySuite, SeoSuite }.All(id => loaded.Suites.Any(s => s.SuiteId == id)))
        {
            await Console.Error.WriteLineAsync($"The suites in {settings.Suites.FullName} did not load: {string.Join("; ", loaded.Errors.Select(e => e.Message))} (need {PageSuite}, {CopySuite}, {SeoSuite})");
            return 1;
        }

        var suites = loaded.Suites.ToDictionary(s => s.SuiteId, StringComparer.Ordinal);
        var outputs = new Dictionary<string, IReadOnlyList<BenchOutput>>(StringComparer.Ordinal)
        {
            [PageSuite] = EvalOutputs.For(suites[PageSuite], settings.Samples, settings.Seed),
            [CopySuite] = EvalOutputs.For(suites[CopySuite], settings.Samples, settings.Seed + 1),
            [SeoSuite] = EvalOutputs.For(suites[SeoSuite], settings.Samples, settings.Seed + 2),
        };
        var html = EvalOutputs.Html(suites[PageSuite], settings.Samples, settings.Seed + 3);
        Progress($"{settings.Samples:N0} outputs per suite built from {settings.Suites.FullName}");

        var types = new List<ScoringResult>();
        foreach (var plan in Plans(outputs, html))
        {
            cancellationToken.ThrowIfCancellationRequested();
            types.Add(MeasureType(plan, settings.Repetitions));
        }

        var suiteResults = new List<ScoringResult>();
        foreach (var id in new[] { PageSuite, CopySuite, SeoSuite })
        {
            cancellationToken.ThrowIfCancellationRequested();
            suiteResults.Add(MeasureSuite(suites[id], outputs[id], settings.Repetitions, threads: 1));
            suiteResults.Add(MeasureSuite(suites[id], outputs[id], settings.Repetitions, threads: Environment.ProcessorCount));
        }

        var reports = await MeasureReportsAsync(suites[PageSuite], outputs[PageSuite], settings.Repetitions, cancellationToken);
        var run = new EvalsRun(MachineInfo.Current(), commandLine, settings, startedAt, types, suiteResults, reports);
        var report = EvalsReport.Render(run);
        await Console.Out.WriteAsync(report);
        if (settings.Output is { } output)
        {
            output.Directory?.Create();
            await File.WriteAllTextAsync(output.FullName, report, cancellationToken);
            Progress($"Report written to {output.FullName}");
        }

        return 0;
    }

    /// <summary>One row per assertion type: the outputs it reads and, per case, the assertion as a suite would state it.</summary>
    private static IEnumerable<ScoringPlan> Plans(Dictionary<string, IReadOnlyList<BenchOutput>> outputs, IReadOnlyList<BenchOutput> html)
    {
        var page = outputs[PageSuite];
        var copy = outputs[CopySuite];
        var pageSchema = UseCaseCatalog.Get("site.page.json").JsonSchema;
        const string PageText = "page JSON (~850 chars)";
        const string CopyText = "section copy (~190 chars)";

        yield return new("equals", "expected text", CopyText, copy, c => new Assertion("equals", Value: c.Expected));
        yield return new("contains", "business name", PageText, page, c => new Assertion("contains", Value: EvalOutputs.BusinessName(c)));
        yield return new("icontains", "business name (the shipped case assertion)", PageText, page, c => new Assertion("icontains", Value: EvalOutputs.BusinessName(c)));
        yield return new("contains-any", "3 words of the expected text", CopyText, copy, c => new Assertion("contains-any", Values: KeyWords(c)));
        yield return new("contains-all", "3 words of the expected text", CopyText, copy, c => new Assertion("contains-all", Values: KeyWords(c)));
        yield return new("regex", "`\"title\"\\s*:\\s*\"[^\"]{1,60}\"`", PageText, page, _ => new Assertion("regex", Value: "\"title\"\\s*:\\s*\"[^\"]{1,60}\""));
        yield return new("not-regex", "`^\\s*[\\[{]` (the shipped not-json)", CopyText, copy, _ => new Assertion("not-regex", Value: "^\\s*[\\[{]"));
        yield return new("is-json", "", PageText, page, _ => new Assertion("is-json"));
        yield return new("json-schema", "catalog schema of site.page.json", PageText, page, _ => new Assertion("json-schema", Schema: pageSchema));
        yield return new("html", "", "page rendered as HTML sections (~1.1 KB)", html, _ => new Assertion("html"));
        yield return new("length", "40–1,200 characters, whole output", CopyText, copy, _ => new Assertion("length", Min: 40, Max: 1200));
        yield return new("length", "path `/title`, ≤ 60", PageText, page, _ => new Assertion("length", Max: 60, Path: "/title"));
        yield return new("rouge-l", "against expected, threshold 0.2", CopyText, copy, c => new Assertion("rouge-l", Value: c.Expected, Threshold: 0.2));
        yield return new("rouge-l", "against expected, threshold 0.35 (as the page suite)", PageText, page, c => new Assertion("rouge-l", Value: c.Expected, Threshold: 0.35));
        yield return new("f1", "against expected, threshold 0.5", CopyText, copy, c => new Assertion("f1", Value: c.Expected, Threshold: 0.5));
        yield return new("bleu", "against expected, threshold 0.3", CopyText, copy, c => new Assertion("bleu", Value: c.Expected, Threshold: 0.3));
        yield return new("latency", "max_ms 2,000", "measurements 200–3,200 ms", copy, _ => new Assertion("latency", MaxMs: 2000));
        yield return new("cost", "max_usd 0.003", "measurements $0–0.004", copy, _ => new Assertion("cost", MaxUsd: 0.003m));
    }

    /// <summary>The first three distinct words of six letters or more: present in a good output, some missing from a bad one.</summary>
    private static IReadOnlyList<string> KeyWords(SuiteCase suiteCase) =>
        [.. suiteCase.Expected!.Split(' ').Select(w => w.Trim('.', ',')).Where(w => w.Length >= 6).Distinct(StringComparer.Ordinal).Take(3)];

    private static ScoringResult MeasureType(ScoringPlan plan, int repetitions)
    {
        // One assertion per case, shared by its outputs, as a loaded suite shares it.
        var byCase = plan.Outputs.Select(o => o.Case).DistinctBy(c => c.Id).ToDictionary(c => c.Id, plan.AssertionFor, StringComparer.Ordinal);
        var assertions = plan.Outputs.Select(o => byCase[o.Case.Id]).ToArray();
        if (byCase.Values.Select(AssertionScorer.Problem).FirstOrDefault(p => p is not null) is { } problem)
        {
            throw new InvalidOperationException($"{plan.Type} ({plan.Detail}): {problem}");
        }

        var texts = plan.Outputs.Select(o => o.Text).ToArray();
        var measurements = plan.Outputs.Select(o => o.Measurements).ToArray();
        var passed = 0;
        var summary = ThroughputTimer.Measure(texts.Length, Bytes(texts), repetitions, () => () =>
        {
            var count = 0;
            for (var i = 0; i < texts.Length; i++)
            {
                if (AssertionScorer.Score(assertions[i], texts[i], measurements[i]).Passed)
                {
                    count++;
                }
            }

            passed = count;
        });
        Progress($"{plan.Type} ({plan.Detail}): {summary.RecordsPerSecond:N0} samples/s, {passed:N0} of {texts.Length:N0} passed");
        return new ScoringResult(plan.Type, plan.Detail, plan.Corpus, summary, passed, texts.Length);
    }

    /// <summary>A whole suite's assertions over every output, on <paramref name="threads"/> threads (the runner scores in parallel too).</summary>
    private static ScoringResult MeasureSuite(SuiteDefinition suite, IReadOnlyList<BenchOutput> outputs, int repetitions, int threads)
    {
        var assertionCounts = outputs.Select(o => o.Case.Assertions.Count).Distinct().Order().ToList();
        var passed = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var summary = ThroughputTimer.Measure(outputs.Count, Bytes(outputs.Select(o => o.Text)), repetitions, () => () =>
        {
            var count = 0;
            if (threads == 1)
            {
                foreach (var output in outputs)
                {
                    if (SampleScorer.Score(output.Case.Assertions, output.Text, output.Measurements).Passed)
                    {
                        count++;
                    }
                }
            }
            else
            {
                Parallel.For(0, outputs.Count, options, i =>
                {
                    if (SampleScorer.Score(outputs[i].Case.Assertions, outputs[i].Text, outputs[i].Measurements).Passed)
                    {
                        Interlocked.Increment(ref count);
                    }
                });
            }

            passed = count;
        });
        var detail = $"{string.Join(" or ", assertionCounts)} assertions a case: {string.Join(", ", outputs[0].Case.Assertions.Select(a => a.Name))}";
        var name = threads == 1 ? suite.SuiteId : $"{suite.SuiteId}, {threads} threads";
        Progress($"{name}, whole suite: {summary.RecordsPerSecond:N0} samples/s, {passed:N0} of {outputs.Count:N0} passed");
        return new ScoringResult(name, detail, suite.UseCase, summary, passed, outputs.Count);
    }

    /// <summary>A completed run of the page suite with one sample per output (every 97th errored), then its reports.</summary>
    private static async Task<ReportTimings> MeasureReportsAsync(SuiteDefinition suite, IReadOnlyList<BenchOutput> outputs, int repetitions, CancellationToken cancellationToken)
    {
        var createdAt = new DateTimeOffset(2026, 11, 27, 3, 0, 0, TimeSpan.Zero);
        var samples = outputs.Select((o, i) =>
        {
            var at = createdAt.AddMilliseconds(i * 250.0);
            if (i % 97 == 96)
            {
                return new EvalSample(o.Case.Id, o.Repeat, null, null, null, new Dictionary<string, AssertionResult>(), ErrorText, null, null, null, null, false, o.Case.Cluster, at);
            }

            var score = SampleScorer.Score(o.Case.Assertions, o.Text, o.Measurements);
            return new EvalSample(o.Case.Id, o.Repeat, o.Text, score.Passed, score.Score, score.Scores, null, o.Measurements.LatencyMs, o.Measurements.CostUsd,
                90 + (i % 10), o.Text.Length / 4, i % 5 == 0, o.Case.Cluster, at);
        }).ToList();
        var run = new EvalRun(
            new Guid("5e7c0000-0000-4000-8000-000000010000"), suite.UseCase, suite.SuiteId, suite.ContentHash, "sitecraft-local", "sitecraft-base@1", null,
            "development", "completed", samples.Max(s => s.Repeat) + 1, null, null, createdAt, createdAt, samples[^1].CreatedAt,
            new JsonObject { ["max_tokens"] = suite.Defaults.MaxTokens, ["temperature"] = suite.Defaults.Temperature, ["total_samples"] = samples.Count },
            new JsonObject { ["requested_by"] = "benchmark" });

        var aggregates = RunAggregator.Aggregate(samples, suite.PassThreshold);
        var folder = Directory.CreateTempSubdirectory("sitecraft-bench-evals-");
        try
        {
            var reportPath = Path.Combine(folder.FullName, "eval_run_report.json");
            var sqlPath = Path.Combine(folder.FullName, "eval_run_ingest.sql");
            var aggregate = await DurationTimer.MeasureAsync(repetitions, _ =>
            {
                RunAggregator.Aggregate(samples, suite.PassThreshold);
                return Task.CompletedTask;
            }, cancellationToken);
            Progress($"RunAggregator.Aggregate: median {aggregate.Median.TotalMilliseconds:N1} ms");
            var report = await DurationTimer.MeasureAsync(repetitions, async token =>
            {
                await using var file = File.Create(reportPath);
                await RunReportWriter.WriteAsync(file, run, aggregates, samples, token);
            }, cancellationToken);
            Progress($"RunReportWriter.WriteAsync: median {report.Median.TotalMilliseconds:N1} ms");
            var sql = await DurationTimer.MeasureAsync(repetitions, async _ =>
            {
                await using var writer = new StreamWriter(sqlPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                IngestSqlWriter.Write(writer, run, aggregates, samples);
            }, cancellationToken);
            Progress($"IngestSqlWriter.Write: median {sql.Median.TotalMilliseconds:N1} ms");

            return new ReportTimings(
                samples.Count, samples.Count(s => s.Error is not null), aggregates.PassRate?.Rate, aggregates.CaseCount, run.Repeats,
                aggregate, report, new FileInfo(reportPath).Length, sql, new FileInfo(sqlPath).Length);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static long Bytes(IEnumerable<string> texts) => texts.Sum(t => (long)Encoding.UTF8.GetByteCount(t));

    // Progress goes to stderr so stdout carries the markdown alone.
    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    private sealed record ScoringPlan(string Type, string Detail, string Corpus, IReadOnlyList<BenchOutput> Outputs, Func<SuiteCase, Assertion> AssertionFor);
}

using System.Globalization;
using System.Runtime;
using System.Text;
using SiteCraft.Ml.Benchmarks.Measurement;

namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>One run as a markdown section: where, how, the figures, and the target next to them.</summary>
public static class EvalsReport
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static string Render(EvalsRun run)
    {
        var machine = run.Machine;
        var settings = run.Settings;
        var md = new StringBuilder();
        md.AppendLine(s_invariant, $"## Evals benchmark (in process), {run.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(s_invariant, $"- Machine: {machine.Cores} cores ({machine.Cpu}), {machine.OperatingSystem}, {machine.Runtime}; shared with other work, so noisy");
        md.AppendLine(s_invariant, $"- Command: `{run.CommandLine}`");
        md.AppendLine(s_invariant, $"- Build: {BuildInfo.Configuration}; {(GCSettings.IsServerGC ? "server" : "workstation")} GC; assertion types on **one thread**; whole suites on one thread and on every core (`Parallel.For`, as the runner scores samples concurrently); no I/O except the report files");
        md.AppendLine(s_invariant, $"- Outputs: {settings.Samples:N0} per row, from the shipped suites' `expected` texts (seed {settings.Seed}): the 200 cases in turn, half verbatim, half changed (words dropped or shuffled, cut off, title too long, a field or the business name missing, filler or JSON where text belongs)");
        md.AppendLine(s_invariant, $"- Each row: warm-up passes for at least {ThroughputTimer.Warmup.TotalSeconds:0} s, then {settings.Repetitions} counted passes after a full GC each; the median pass, and the slowest and fastest");
        md.AppendLine();

        md.AppendLine("### Scoring per assertion type (`AssertionScorer.Score`)");
        md.AppendLine();
        ScoringTable(md, run.Types, "assertion");
        md.AppendLine();
        md.AppendLine("### Scoring whole suites (`SampleScorer.Score` over each case's assertions)");
        md.AppendLine();
        ScoringTable(md, run.Suites, "suite");
        md.AppendLine();

        var r = run.Reports;
        md.AppendLine(s_invariant, $"### Report generation, {r.Samples:N0} samples");
        md.AppendLine();
        md.AppendLine(s_invariant, $"A completed run of site-page-json: {r.Cases} cases × {r.Repeats} repeats, {r.Errors:N0} errored samples, pass rate {r.PassRate:P1}; the report files go to a temporary folder on local disk.");
        md.AppendLine();
        md.AppendLine("| step | median | fastest–slowest | output |");
        md.AppendLine("| --- | ---: | ---: | ---: |");
        DurationRow(md, "`RunAggregator.Aggregate`", r.Aggregate, "");
        DurationRow(md, "`RunReportWriter.WriteAsync` (eval_run_report.json)", r.ReportJson, Megabytes(r.ReportJsonBytes));
        DurationRow(md, "`IngestSqlWriter.Write` (eval_run_ingest.sql, UTF-8 file)", r.IngestSql, Megabytes(r.IngestSqlBytes));
        md.AppendLine();

        var all = run.Types.Concat(run.Suites).ToList();
        var missed = all.Where(s => !s.TargetMet).ToList();
        md.AppendLine(s_invariant, $"{all.Count - missed.Count} of {all.Count} rows meet ≥ {EvalsRun.ScoringTarget:N0} samples/s{(missed.Count == 0 ? "." : $"; not met: {string.Join(", ", missed.Select(m => $"{m.Name} ({m.Detail.Split(':')[0]})"))}.")}");
        return md.ToString();
    }

    private static void ScoringTable(StringBuilder md, IReadOnlyList<ScoringResult> results, string what)
    {
        md.AppendLine(s_invariant, $"| {what} | settings | outputs | samples/s (median) | slowest–fastest | µs/sample | allocated/sample | passed | ≥ {EvalsRun.ScoringTarget:N0}/s |");
        md.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var r in results)
        {
            var t = r.Throughput;
            md.AppendLine(s_invariant,
                $"| {r.Name} | {r.Detail} | {r.Corpus} | **{t.RecordsPerSecond:N0}** | {t.SlowestRecordsPerSecond:N0}–{t.FastestRecordsPerSecond:N0} | {1e6 / t.RecordsPerSecond:N1} | {t.AllocatedBytesPerRecord:N0} B | {(double)r.Passed / r.Samples:P0} | {(r.TargetMet ? "met" : "**not met**")} |");
        }
    }

    private static void DurationRow(StringBuilder md, string step, DurationSummary duration, string output) =>
        md.AppendLine(s_invariant,
            $"| {step} | **{duration.Median.TotalMilliseconds:N1} ms** | {duration.Fastest.TotalMilliseconds:N1}–{duration.Slowest.TotalMilliseconds:N1} ms | {output} |");

    private static string Megabytes(long bytes) => string.Create(s_invariant, $"{bytes / 1e6:N1} MB");
}

using System.Globalization;
using System.Runtime;
using System.Text;
using SiteCraft.Ml.Benchmarks.Measurement;

namespace SiteCraft.Ml.Benchmarks.Contracts;

/// <summary>One run as a markdown section: where, how, what the records were, the figures and the targets next to them.</summary>
public static class ContractsReport
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static string Render(ContractsRun run)
    {
        var machine = run.Machine;
        var corpus = run.Corpus;
        var md = new StringBuilder();
        md.AppendLine(s_invariant, $"## Contracts benchmark, {run.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(s_invariant, $"- Machine: {machine.Cores} cores ({machine.Cpu}), {machine.OperatingSystem}, {machine.Runtime}; shared with other work, so noisy");
        md.AppendLine(s_invariant, $"- Command: `{run.CommandLine}`");
        md.AppendLine(s_invariant, $"- Build: {BuildInfo.Configuration}; {(GCSettings.IsServerGC ? "server" : "workstation")} GC{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? ", concurrent" : "")}; one process, no I/O (records generated in memory first)");
        md.AppendLine(s_invariant, $"- Contract: {run.ContractKey} (docs/contracts), loaded as the service loads it");
        md.AppendLine(s_invariant, $"- Records: {corpus.Records.Count:N0}, {corpus.Bytes / 1e6:0.0} MB, **{corpus.MeanRecordBytes:N0} bytes a record on average** (seed {run.Settings.Seed}): site copy as prose, HTML with inline CSS and attributes, page JSON and SEO tags across 20 kinds of business; {corpus.WithPii:N0} with an e-mail address and phone number, {corpus.ExactDuplicates:N0} exact and {corpus.NearDuplicates:N0} near duplicates (one or two words changed) of earlier records, {corpus.Invalid:N0} breaking the contract");
        md.AppendLine(s_invariant, $"- Each path: warm-up passes over all records for at least {ThroughputTimer.Warmup.TotalSeconds:0} s, then {run.Settings.Repetitions} counted passes after a full GC each; medians of the passes, with the slowest and fastest");
        md.AppendLine();

        md.AppendLine("| path | threads | records/s (median) | slowest–fastest pass | MB/s | CPU/wall | allocated per record | target |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        Row(md, "validation (`ContractValidator.Validate`)", 1, run.Validation, string.Create(s_invariant, $"≥ {ContractsRun.ValidationTarget:N0}: {Met(run.ValidationTargetMet)}"));
        Row(md, "validation, `Parallel.ForEach` over the records", run.ParallelDegree, run.ParallelValidation, "");
        Row(md, "curation (`Curator.Process`: validation, normalisation, PII, quality, MinHash, dedup)", 1, run.Curation, string.Create(s_invariant, $"≥ {ContractsRun.CurationTarget:N0}: {Met(run.CurationTargetMet)}"));
        md.AppendLine();

        var outcomes = run.Outcomes;
        md.AppendLine("Outcomes of the last curation pass, against what the generator planted:");
        md.AppendLine();
        md.AppendLine("| outcome | records | planted |");
        md.AppendLine("| --- | ---: | ---: |");
        md.AppendLine(s_invariant, $"| accepted | {outcomes.Accepted:N0} | |");
        md.AppendLine(s_invariant, $"| quarantined | {outcomes.Quarantined:N0} | {corpus.Invalid:N0} breaking the contract |");
        md.AppendLine(s_invariant, $"| exact duplicate | {outcomes.ExactDuplicates:N0} | {corpus.ExactDuplicates:N0} |");
        md.AppendLine(s_invariant, $"| near duplicate | {outcomes.NearDuplicates:N0} | {corpus.NearDuplicates:N0} |");
        md.AppendLine(s_invariant, $"| **total** | {outcomes.Total:N0} | {corpus.Records.Count:N0} records |");
        md.AppendLine();
        if (outcomes.QuarantineReasons.Count > 0)
        {
            md.AppendLine(s_invariant, $"Quarantined by rule: {string.Join(", ", outcomes.QuarantineReasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => string.Create(s_invariant, $"{r.Key} {r.Value:N0}")))}.");
            md.AppendLine();
        }

        md.AppendLine("CPU/wall is the process's CPU time over the pass's wall time: near 2 when a parallel pass had both cores, near 1 when other work on the machine held one.");
        md.AppendLine();
        md.AppendLine(s_invariant, $"Validation on one thread found {run.InvalidFound:N0} invalid records ({corpus.Invalid:N0} planted). Postgres ingest is not part of this command yet.");
        md.AppendLine();
        var met = (run.ValidationTargetMet ? 1 : 0) + (run.CurationTargetMet ? 1 : 0);
        md.AppendLine(s_invariant, $"{met} of 2 targets met{(run.Sound ? "" : "; the passes disagree with the planted records, so the figures are not trustworthy")}.");
        return md.ToString();
    }

    private static void Row(StringBuilder md, string path, int threads, ThroughputSummary summary, string target) =>
        md.AppendLine(s_invariant,
            $"| {path} | {threads} | **{summary.RecordsPerSecond:N0}** | {summary.SlowestRecordsPerSecond:N0}–{summary.FastestRecordsPerSecond:N0} | {summary.BytesPerSecond / 1e6:0.0} | {summary.CoresUsed:0.00} | {summary.AllocatedBytesPerRecord:N0} B | {target} |");

    private static string Met(bool met) => met ? "met" : "**not met**";
}

using System.Collections.Concurrent;
using SiteCraft.Ml.Benchmarks.Measurement;
using SiteCraft.Ml.Contracts.Core.Curation;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Core.Validation;

namespace SiteCraft.Ml.Benchmarks.Contracts;

/// <summary>
/// Records/s through the contracts core, in this process and with no I/O: validation alone on
/// one thread and on every core, and the whole curation path (validation, normalisation, PII,
/// quality, MinHash, dedup) on one thread, since a Curator is not thread-safe. The records are
/// generated in memory first, so the figures are of the code, not of a disk.
/// Postgres ingest is measured apart from these: it needs the AppHost graph and a database, so it
/// belongs in its own phase beside <see cref="MeasureCuration"/>, with its own option and report row.
/// </summary>
public static class ContractsBenchmark
{
    public const string ContractId = "ai_training_examples";

    /// <summary>Records handed to each parallel worker at a time: enough to amortise the hand-off, small enough to balance.</summary>
    private const int ParallelChunk = 1024;

    /// <summary>Runs, prints the report to stdout (and the output file); 0 when the passes agree with the planted records.</summary>
    public static async Task<int> RunAsync(ContractsSettings settings, string commandLine, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var catalog = await ContractCatalog.LoadAsync(Path.Combine(AppContext.BaseDirectory, "contracts"), cancellationToken);
        var validator = catalog.ValidatorFor(ContractId)
            ?? throw new InvalidOperationException($"The contracts shipped beside the benchmark have no '{ContractId}'.");

        Progress($"Generating {settings.Records:N0} training records (seed {settings.Seed})");
        var corpus = TrainingCorpus.Generate(settings.Records, settings.Seed);
        Progress($"{corpus.Bytes / 1e6:0.0} MB, {corpus.MeanRecordBytes:N0} bytes a record on average");

        Progress($"Validation on one thread: warm-up, then {settings.Repetitions} passes counted");
        var invalidFound = 0;
        var validation = ThroughputTimer.Measure(corpus.Records.Count, corpus.Bytes, settings.Repetitions, () => () => invalidFound = ValidateAll(validator, corpus));

        var degree = Environment.ProcessorCount;
        Progress($"Validation on {degree} threads (Parallel.ForEach): warm-up, then {settings.Repetitions} passes counted");
        var parallelValidation = ThroughputTimer.Measure(corpus.Records.Count, corpus.Bytes, settings.Repetitions, () => () => ValidateInParallel(validator, corpus, degree));

        Progress($"Curation on one thread: warm-up, then {settings.Repetitions} passes counted, each with a fresh Curator");
        var (curation, outcomes) = MeasureCuration(validator.Contract, corpus, settings.Repetitions);

        var run = new ContractsRun(
            MachineInfo.Current(), commandLine, settings, startedAt, validator.Contract.Key, corpus,
            validation, parallelValidation, degree, invalidFound, curation, outcomes);
        var report = ContractsReport.Render(run);
        await Console.Out.WriteAsync(report);
        if (settings.Output is { } output)
        {
            output.Directory?.Create();
            await File.WriteAllTextAsync(output.FullName, report, cancellationToken);
            Progress($"Report written to {output.FullName}");
        }

        if (!run.Sound)
        {
            await Console.Error.WriteLineAsync(
                $"Validation found {invalidFound} invalid records of {corpus.Invalid} planted; curation gave {outcomes.Total} outcomes for {corpus.Records.Count} records.");
            return 1;
        }

        return 0;
    }

    private static int ValidateAll(ContractValidator validator, TrainingCorpus corpus)
    {
        var invalid = 0;
        foreach (var record in corpus.Records)
        {
            if (!validator.Validate(record).IsValid)
            {
                invalid++;
            }
        }

        return invalid;
    }

    private static void ValidateInParallel(ContractValidator validator, TrainingCorpus corpus, int degree)
    {
        var records = corpus.Records;
        Parallel.ForEach(
            Partitioner.Create(0, records.Count, ParallelChunk),
            new ParallelOptions { MaxDegreeOfParallelism = degree },
            range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    validator.Validate(records[i]);
                }
            });
    }

    private static (ThroughputSummary Summary, CurationCounts Outcomes) MeasureCuration(DataContract contract, TrainingCorpus corpus, int repetitions)
    {
        CurationCounts? outcomes = null;
        var summary = ThroughputTimer.Measure(corpus.Records.Count, corpus.Bytes, repetitions, () =>
        {
            // A fresh curator per pass: one that had seen the records would call every one a duplicate.
            var curator = new Curator(contract);
            return () => outcomes = CurateAll(curator, corpus);
        });
        return (summary, outcomes!);
    }

    private static CurationCounts CurateAll(Curator curator, TrainingCorpus corpus)
    {
        int accepted = 0, quarantined = 0, exact = 0, near = 0;
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in corpus.Records)
        {
            switch (curator.Process(record))
            {
                case CurationOutcome.Accepted:
                    accepted++;
                    break;
                case CurationOutcome.Quarantined rejected:
                    quarantined++;
                    foreach (var rule in rejected.Reasons.Select(r => r.Rule).Distinct(StringComparer.Ordinal))
                    {
                        reasons[rule] = reasons.GetValueOrDefault(rule) + 1;
                    }

                    break;
                case CurationOutcome.Duplicate { Kind: DuplicateKind.Exact }:
                    exact++;
                    break;
                case CurationOutcome.Duplicate:
                    near++;
                    break;
            }
        }

        return new CurationCounts(accepted, quarantined, exact, near, reasons);
    }

    // Progress goes to stderr so stdout carries the markdown alone.
    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

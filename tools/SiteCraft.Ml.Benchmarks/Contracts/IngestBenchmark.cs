using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using SiteCraft.Ml.Benchmarks.Measurement;
using SiteCraft.Ml.Benchmarks.Platform;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Data.Ingest;
using SiteCraft.Ml.Contracts.Data.Registry;

namespace SiteCraft.Ml.Benchmarks.Contracts;

/// <summary>Settings of one ingest run.</summary>
public sealed record IngestSettings(int Records, int ChunkSize, int Repetitions, int Seed, string? Connection, FileInfo? Output);

/// <summary>
/// Training-data ingest into Postgres through <see cref="TrainingIngestor"/>, the path the
/// contracts service's Ingest stream and `sitecraft-ml data ingest` share: chunks curated, then
/// written by binary COPY (straight into ai_training_examples, through a staging table only on a key clash; quarantine rows),
/// one transaction each. Each pass starts from empty tables and a fresh ingestor. Reports the
/// end-to-end rate and, from the receipts' timings, the write stage alone.
/// </summary>
public static class IngestBenchmark
{
    public static async Task<int> RunAsync(IngestSettings settings, string commandLine, CancellationToken cancellationToken)
    {
        var catalog = await ContractCatalog.LoadAsync(Path.Combine(AppContext.BaseDirectory, "contracts"), cancellationToken);
        var contract = catalog.Contracts.Single(c => c.Id == ContractsBenchmark.ContractId);
        Progress($"Generating {settings.Records:N0} training records (seed {settings.Seed})");
        var corpus = TrainingCorpus.Generate(settings.Records, settings.Seed);

        await using var platform = settings.Connection is null ? new BenchPlatform() : null;
        string connection;
        if (platform is not null)
        {
            Progress("Starting the AppHost graph for its Postgres (local mode)");
            await platform.StartAsync("bench", "unused", cancellationToken);
            connection = await platform.ConnectionStringAsync(cancellationToken);
        }
        else
        {
            connection = settings.Connection!;
        }

        await using var dataSource = NpgsqlDataSource.Create(connection);
        await new ContractStore(dataSource).RegisterAsync(contract, cancellationToken);

        var passes = new List<Pass>();
        for (var pass = -1; pass < settings.Repetitions; pass++)
        {
            var result = await PassAsync(dataSource, contract, corpus, settings.ChunkSize, cancellationToken);
            Progress(string.Create(CultureInfo.InvariantCulture,
                $"{(pass < 0 ? "warm-up" : $"pass {pass + 1}")}: {result.Received:N0} records in {result.Wall.TotalSeconds:0.00} s ({result.Received / result.Wall.TotalSeconds:N0}/s); {result.RowsWritten:N0} rows written in {result.Write.TotalSeconds:0.00} s ({result.RowsWritten / result.Write.TotalSeconds:N0} rows/s)"));
            if (pass >= 0)
            {
                passes.Add(result);
            }
        }

        var report = Render(settings, commandLine, corpus, passes);
        await Console.Out.WriteAsync(report);
        if (settings.Output is { } output)
        {
            output.Directory?.Create();
            await File.WriteAllTextAsync(output.FullName, report, cancellationToken);
        }

        return passes.All(p => p.Received == corpus.Records.Count) ? 0 : 1;
    }

    private sealed record Pass(int Received, int Accepted, int Quarantined, int Duplicates, TimeSpan Wall, TimeSpan Curation, TimeSpan Write)
    {
        public int RowsWritten => Accepted + Quarantined;
    }

    private static async Task<Pass> PassAsync(NpgsqlDataSource dataSource, DataContract contract, TrainingCorpus corpus, int chunkSize, CancellationToken cancellationToken)
    {
        await using (var truncate = dataSource.CreateCommand("truncate ai_training_examples, ai_training_quarantine"))
        {
            await truncate.ExecuteNonQueryAsync(cancellationToken);
        }

        var ingestor = new TrainingIngestor(dataSource);
        int received = 0, accepted = 0, quarantined = 0, duplicates = 0;
        TimeSpan curation = TimeSpan.Zero, write = TimeSpan.Zero;
        var started = Stopwatch.GetTimestamp();
        long chunk = 0;
        foreach (var records in corpus.Records.Chunk(chunkSize))
        {
            var receipt = await ingestor.IngestAsync(contract, "bench", chunk++, records.Select(r => (ReadOnlyMemory<byte>)r).ToList(), cancellationToken);
            received += receipt.Received;
            accepted += receipt.Accepted;
            quarantined += receipt.Quarantined;
            duplicates += receipt.Duplicates;
            curation += receipt.CurationTime;
            write += receipt.WriteTime;
        }

        return new Pass(received, accepted, quarantined, duplicates, Stopwatch.GetElapsedTime(started), curation, write);
    }

    private static string Render(IngestSettings settings, string commandLine, TrainingCorpus corpus, List<Pass> passes)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var endToEnd = Median(passes.Select(p => p.Received / p.Wall.TotalSeconds));
        var writeRate = Median(passes.Select(p => p.RowsWritten / p.Write.TotalSeconds));
        var curationRate = Median(passes.Select(p => p.Received / p.Curation.TotalSeconds));
        var last = passes[^1];
        var machine = MachineInfo.Current();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Training-data ingest into Postgres ({DateTimeOffset.UtcNow:yyyy-MM-dd})");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{commandLine}` on {machine.Cores} cores ({machine.Cpu}), {machine.Runtime}; Postgres 15 from the AppHost's local mode on the same machine.");
        text.AppendLine(CultureInfo.InvariantCulture, $"{corpus.Records.Count:N0} records of {corpus.MeanRecordBytes:N0} bytes on average, chunks of {settings.ChunkSize:N0}, {passes.Count} passes after one warm-up, each from empty tables; medians.");
        text.AppendLine();
        text.AppendLine("| stage | rate (median) | slowest / fastest pass | target |");
        text.AppendLine("| --- | --- | --- | --- |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| write to Postgres (binary COPY, quarantine rows, commit) | {writeRate:N0} rows/s | {passes.Min(p => p.RowsWritten / p.Write.TotalSeconds):N0} / {passes.Max(p => p.RowsWritten / p.Write.TotalSeconds):N0} | ≥ 30,000 rows/s: {(writeRate >= 30_000 ? "met" : "not met")} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| curation inside ingest (one thread) | {curationRate:N0} records/s | {passes.Min(p => p.Received / p.Curation.TotalSeconds):N0} / {passes.Max(p => p.Received / p.Curation.TotalSeconds):N0} | ≥ 10,000/s |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| end to end (curate then write, chunk after chunk) | {endToEnd:N0} records/s | {passes.Min(p => p.Received / p.Wall.TotalSeconds):N0} / {passes.Max(p => p.Received / p.Wall.TotalSeconds):N0} | — |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Outcomes per pass: {last.Accepted:N0} accepted, {last.Quarantined:N0} quarantined, {last.Duplicates:N0} duplicates; rows written = accepted + quarantined.");
        return text.ToString();
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

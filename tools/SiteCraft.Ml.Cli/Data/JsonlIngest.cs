using System.Globalization;
using Npgsql;
using SiteCraft.Ml.Cli.Commands;
using SiteCraft.Ml.Cli.Jsonl;
using SiteCraft.Ml.Cli.Terminal;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Data.Ingest;
using SiteCraft.Ml.Contracts.Data.Registry;

namespace SiteCraft.Ml.Cli.Data;

/// <summary>
/// Ingests a JSONL file through curation into the database, in chunks that each land whole:
/// the same path as the contracts service's Ingest stream. Exit 0 when every record was stored
/// or was already there, 1 when any went to quarantine (or could not be sent at all).
/// </summary>
public static class JsonlIngest
{
    public static async Task<int> RunAsync(FileInfo file, DataContract contract, NpgsqlDataSource dataSource, string batchId, int chunkSize, int show, CancellationToken cancellationToken)
    {
        try
        {
            await new ContractStore(dataSource).RegisterAsync(contract, cancellationToken);
        }
        catch (ContractConflictException e)
        {
            throw new UsageException(e.Message, e);
        }

        var ingestor = new TrainingIngestor(dataSource);
        var totals = new Totals();
        var shown = 0;
        var chunk = new List<(long Line, ReadOnlyMemory<byte> Bytes)>(chunkSize);
        long chunkBytes = 0;
        long chunkNumber = 0;

        async Task FlushAsync()
        {
            if (chunk.Count == 0)
            {
                return;
            }

            var receipt = await ingestor.IngestAsync(contract, batchId, chunkNumber++, chunk.Select(c => c.Bytes).ToList(), cancellationToken);
            totals.Add(receipt);
            foreach (var record in receipt.Records.Where(r => r.Fate == RecordFate.Quarantined))
            {
                if (shown++ < show)
                {
                    var line = chunk[record.Index].Line;
                    foreach (var reason in record.Decisions)
                    {
                        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{file}:{line}: quarantined #{record.QuarantineId} {reason.Field} {reason.Rule}: {reason.Reason}"));
                    }
                }
            }

            chunk.Clear();
            chunkBytes = 0;
        }

        try
        {
            await using var stream = JsonlReader.OpenFile(file);
            await using var reader = new JsonlReader(stream, (int)TrainingIngestor.MaxBytesPerChunk);
            await FileProgress.RunAsync(file.Name, stream.Length, async update =>
            {
                await foreach (var line in reader.ReadLinesAsync(cancellationToken))
                {
                    if (line.IsTooLong)
                    {
                        totals.Refused++;
                        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{file}:{line.Number}: refused: the line is {line.Length:N0} bytes, more than a chunk's {TrainingIngestor.MaxBytesPerChunk:N0}; it was not sent"));
                        continue;
                    }

                    if (chunk.Count == chunkSize || chunkBytes + line.Bytes.Length > TrainingIngestor.MaxBytesPerChunk)
                    {
                        await FlushAsync();
                        update(reader.Position, totals.Received);
                    }

                    chunk.Add((line.Number, line.Bytes.ToArray()));
                    chunkBytes += line.Bytes.Length;
                }

                await FlushAsync();
                update(reader.Position, totals.Received);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read '{file}': {e.Message}", e);
        }

        var refused = totals.Refused > 0 ? string.Create(CultureInfo.InvariantCulture, $", {totals.Refused:N0} refused") : "";
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{file}: {totals.Received + totals.Refused:N0} records: {totals.Accepted:N0} accepted, {totals.Quarantined:N0} quarantined, {totals.Duplicates:N0} duplicates{refused} (contract {contract.Key}, batch {batchId})"));
        return totals.Quarantined == 0 && totals.Refused == 0 ? ExitCodes.Ok : ExitCodes.Findings;
    }

    private sealed class Totals
    {
        public long Received { get; private set; }

        public long Accepted { get; private set; }

        public long Quarantined { get; private set; }

        public long Duplicates { get; private set; }

        public long Refused { get; set; }

        public void Add(IngestReceipt receipt)
        {
            Received += receipt.Received;
            Accepted += receipt.Accepted;
            Quarantined += receipt.Quarantined;
            Duplicates += receipt.Duplicates;
        }
    }
}

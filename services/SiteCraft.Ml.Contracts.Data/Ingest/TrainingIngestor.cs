using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SiteCraft.Ml.Contracts.Core.Curation;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Data.Ingest;

/// <summary>
/// Ingests training records through curation into Postgres: accepted rows into
/// ai_training_examples by binary COPY, the rest into ai_training_quarantine with every reason
/// and the bytes as sent. Each chunk is one transaction, so it lands whole or not at all, and
/// is answered with a receipt.
/// <para>
/// Dedup spans everything stored, not one stream: per contract, a curator remembers every stored
/// record (its content hash and MinHash signature). Chunks of one contract are written one at a
/// time under a Postgres advisory lock, and before each the curator catches up with rows other
/// processes stored since (by <c>ingest_seq</c>). A chunk that fails leaves the curator to be
/// rebuilt from the table, so its memory never holds a record that did not land.
/// </para>
/// One instance per database; thread-safe.
/// </summary>
public sealed partial class TrainingIngestor(NpgsqlDataSource dataSource, ILogger<TrainingIngestor>? logger = null)
{
    /// <summary>At most this many records in one chunk.</summary>
    public const int MaxRecordsPerChunk = 10_000;

    /// <summary>At most this many bytes of records in one chunk.</summary>
    public const long MaxBytesPerChunk = 16L * 1024 * 1024;

    /// <summary>The rule of the quarantine reason for a NUL character, which Postgres text and jsonb cannot hold.</summary>
    public const string NulRule = "storage.nul";

    // 'SCML' in the two-key advisory lock space, which never meets the single-key locks other services take.
    private const int LockClass = 0x53434D4C;

    private readonly ConcurrentDictionary<string, ContractState> _states = new(StringComparer.Ordinal);
    private readonly ILogger _logger = logger ?? NullLogger<TrainingIngestor>.Instance;

    /// <summary>Curates and stores one chunk of records (each one JSON object as UTF-8, e.g. a JSONL line).</summary>
    /// <exception cref="IngestRequestException">The chunk itself is malformed; nothing was applied.</exception>
    public Task<IngestReceipt> IngestAsync(DataContract contract, string? batchId, long chunk, IReadOnlyList<ReadOnlyMemory<byte>> records, CancellationToken cancellationToken)
    {
        EnsureChunkFits(records.Count, records.Sum(r => (long)r.Length));
        CheckBatchId(batchId);
        var candidates = records.Select(r => new Candidate(r, QuarantineId: null)).ToList();
        return ApplyAsync(contract, new Target(batchId, ReleasedBy: null), chunk, candidates, cancellationToken);
    }

    /// <summary>
    /// Takes quarantined records (their ids and the bytes to try: corrected or as stored) through
    /// the same path. One that passes is stored, or found to be a duplicate, and its quarantine row
    /// is marked released by <paramref name="actor"/>; one that fails stays as it was.
    /// </summary>
    internal Task<IngestReceipt> ReleaseAsync(DataContract contract, string actor, IReadOnlyList<(long QuarantineId, ReadOnlyMemory<byte> Record)> records, CancellationToken cancellationToken)
    {
        EnsureChunkFits(records.Count, records.Sum(r => (long)r.Record.Length));
        var candidates = records.Select(r => new Candidate(r.Record, r.QuarantineId)).ToList();
        return ApplyAsync(contract, new Target(BatchId: null, ReleasedBy: actor), chunk: 0, candidates, cancellationToken);
    }

    /// <summary>The limits of one chunk (or one Validate message): throws <see cref="IngestRequestException"/> naming <c>records</c> past them.</summary>
    public static void EnsureChunkFits(int count, long bytes)
    {
        if (count > MaxRecordsPerChunk)
        {
            throw new IngestRequestException("records", $"{count} records in one chunk; at most {MaxRecordsPerChunk} (split the batch).");
        }

        if (bytes > MaxBytesPerChunk)
        {
            throw new IngestRequestException("records", $"{bytes} bytes of records in one chunk; at most {MaxBytesPerChunk} (split the batch).");
        }
    }

    private static void CheckBatchId(string? batchId)
    {
        // Storable text has no NUL and no lone surrogate, which Postgres text cannot hold.
        if (batchId is not null && (batchId.Length > 200 || DecisionJson.Storable(batchId) != batchId))
        {
            throw new IngestRequestException("batch_id", "batch_id must be at most 200 characters of text (no NUL, no lone surrogate).");
        }
    }

    private async Task<IngestReceipt> ApplyAsync(DataContract contract, Target target, long chunk, List<Candidate> candidates, CancellationToken cancellationToken)
    {
        var state = _states.GetOrAdd(contract.Key, _ => new ContractState());
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockAsync(connection, contract, cancellationToken);
            var curator = await CatchUpAsync(connection, contract, state, cancellationToken);

            var curationStarted = Stopwatch.GetTimestamp();
            var receipts = new RecordReceipt[candidates.Count];
            var accepted = new List<(int Index, CuratedRecord Record)>();
            var quarantined = new List<(int Index, string? Id, IReadOnlyList<CurationDecision> Reasons)>();
            for (var i = 0; i < candidates.Count; i++)
            {
                var raw = candidates[i].Raw;
                if (raw.Span.IndexOf("\\u0000"u8) >= 0)
                {
                    var reasons = NulReasons(contract, curator, raw);
                    quarantined.Add((i, null, reasons));
                    continue;
                }

                switch (curator.Process(raw))
                {
                    case CurationOutcome.Accepted a:
                        accepted.Add((i, a.Record));
                        break;
                    case CurationOutcome.Duplicate d:
                        receipts[i] = new RecordReceipt(i, d.RecordId, RecordFate.Duplicate, [d.Decisions[^1]], d.OfRecordId);
                        break;
                    case CurationOutcome.Quarantined q:
                        quarantined.Add((i, q.RecordId, q.Reasons));
                        break;
                }
            }

            var writeStarted = Stopwatch.GetTimestamp();
            var writer = new ChunkWriter(connection, contract, target);
            var stored = await writer.WriteExamplesAsync(accepted, cancellationToken);
            var rerouted = false;
            foreach (var (index, record) in accepted)
            {
                if (stored.Inserted.Contains(record.Id))
                {
                    receipts[index] = new RecordReceipt(index, record.Id, RecordFate.Accepted, record.Decisions);
                }
                else if (stored.ExistingByHash.TryGetValue(record.ContentSha256, out var existing))
                {
                    // Stored meanwhile by a writer that did not take the lock: the table's unique key caught it.
                    rerouted = true;
                    receipts[index] = new RecordReceipt(index, record.Id, RecordFate.Duplicate,
                        [new CurationDecision(Curator.ExactDedupRule, Curator.DedupVersion, "$", CurationAction.Duplicate, $"same normalised content as stored record {existing} (sha256 {record.ContentSha256})")],
                        existing);
                }
                else
                {
                    rerouted = true;
                    quarantined.Add((index, record.Id,
                        [new CurationDecision(Curator.IdConflictRule, Curator.DedupVersion, CuratedFields.Id, CurationAction.Rejected, $"id {record.Id} is already stored with different content")]));
                }
            }

            var quarantineIds = await writer.WriteQuarantineAsync(quarantined.Select(q => (q.Index, q.Id, candidates[q.Index], q.Reasons)).ToList(), cancellationToken);
            foreach (var (index, id, reasons) in quarantined)
            {
                receipts[index] = new RecordReceipt(index, id, RecordFate.Quarantined, reasons, QuarantineId: quarantineIds.GetValueOrDefault(index));
            }

            await writer.ResolveReleasedAsync(receipts.Where(r => r.Fate != RecordFate.Quarantined).Select(r => candidates[r.Index].QuarantineId).OfType<long>().ToList(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            state.Watermark = Math.Max(state.Watermark, stored.MaxSequence);
            if (rerouted)
            {
                // The curator remembered records that went elsewhere; rebuild it from the table.
                state.Curator = null;
            }

            var receipt = new IngestReceipt(chunk, contract.Key, receipts)
            {
                CurationTime = Stopwatch.GetElapsedTime(curationStarted, writeStarted),
                WriteTime = Stopwatch.GetElapsedTime(writeStarted),
            };
            LogChunk(_logger, contract.Key, chunk, receipt.Received, receipt.Accepted, receipt.Quarantined, receipt.Duplicates);
            return receipt;
        }
        catch
        {
            // The curator may remember records of a chunk that did not land.
            state.Curator = null;
            throw;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private static List<CurationDecision> NulReasons(DataContract contract, Curator curator, ReadOnlyMemory<byte> raw)
    {
        var reasons = curator.Validator.Validate(raw).Violations
            .Select(v => new CurationDecision($"contract.{v.Rule}", contract.Version, v.Path, CurationAction.Rejected, v.Message, v.Excerpt))
            .ToList();
        reasons.Add(new CurationDecision(NulRule, "1", "$", CurationAction.Rejected, "the record holds a NUL character (\\u0000), which Postgres text and jsonb cannot store"));
        return reasons;
    }

    private static async Task LockAsync(NpgsqlConnection connection, DataContract contract, CancellationToken cancellationToken)
    {
        var key = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(contract.Id)), 0);
        await using var command = new NpgsqlCommand("select pg_advisory_xact_lock($1, $2)", connection)
        {
            Parameters = { new() { Value = LockClass }, new() { Value = key } },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Brings the contract's curator up to every row stored so far (all of them when it is new).</summary>
    private async Task<Curator> CatchUpAsync(NpgsqlConnection connection, DataContract contract, ContractState state, CancellationToken cancellationToken)
    {
        if (state.Curator is null)
        {
            state.Curator = new Curator(contract);
            state.Watermark = 0;
        }

        await using var command = new NpgsqlCommand(
            "select id::text, content_sha256, minhash, ingest_seq from ai_training_examples where contract_id = $1 and ingest_seq > $2 order by ingest_seq",
            connection)
        {
            Parameters = { new() { Value = contract.Id }, new() { Value = state.Watermark } },
        };

        var loaded = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var signature = reader.IsDBNull(2) ? null : MinHashBytes.ToSignature(reader.GetFieldValue<byte[]>(2));
                state.Curator.Remember(reader.GetString(0), reader.GetString(1), signature);
                state.Watermark = reader.GetInt64(3);
                loaded++;
            }
        }

        if (loaded > 0)
        {
            LogCaughtUp(_logger, contract.Key, loaded, state.Watermark);
        }

        return state.Curator;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest {Contract} chunk {Chunk}: {Received} received, {Accepted} accepted, {Quarantined} quarantined, {Duplicates} duplicates")]
    private static partial void LogChunk(ILogger logger, string contract, long chunk, int received, int accepted, int quarantined, int duplicates);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ingest {Contract}: dedup memory caught up with {Rows} stored rows (to ingest_seq {Watermark})")]
    private static partial void LogCaughtUp(ILogger logger, string contract, int rows, long watermark);

    private sealed class ContractState
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Curator? Curator { get; set; }

        public long Watermark { get; set; }
    }
}

/// <summary>One record to take through the path; <see cref="QuarantineId"/> is set when it is a quarantined record being released.</summary>
internal sealed record Candidate(ReadOnlyMemory<byte> Raw, long? QuarantineId);

/// <summary>Where rejected records go: a batch's new quarantine rows, or (when releasing) nowhere new.</summary>
internal sealed record Target(string? BatchId, string? ReleasedBy);

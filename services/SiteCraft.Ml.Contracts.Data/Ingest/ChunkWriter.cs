using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Npgsql;
using NpgsqlTypes;
using SiteCraft.Ml.Contracts.Core.Curation;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Data.Ingest;

/// <summary>What became of the accepted records of a chunk in the table.</summary>
internal sealed record StoredExamples(HashSet<string> Inserted, Dictionary<string, string> ExistingByHash, long MaxSequence);

/// <summary>
/// Writes one chunk inside the caller's transaction: accepted records by binary COPY into a
/// staging table and from there into ai_training_examples (<c>on conflict do nothing</c>, so a
/// record stored meanwhile is found, not failed on); rejected records into ai_training_quarantine,
/// where a record already held is not added twice.
/// </summary>
internal sealed class ChunkWriter(NpgsqlConnection connection, DataContract contract, Target target)
{
    private static readonly JsonWriterOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<StoredExamples> WriteExamplesAsync(List<(int Index, CuratedRecord Record)> accepted, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        var existing = new Dictionary<string, string>(StringComparer.Ordinal);
        if (accepted.Count == 0)
        {
            return new StoredExamples(inserted, existing, 0);
        }

        // Fast path: straight into the table. Under the ingest lock the curator has seen every stored
        // row, so a clash means a writer that did not take the lock; then take the staging path.
        await ExecuteAsync("savepoint direct_copy", cancellationToken);
        try
        {
            await using (var import = await connection.BeginBinaryImportAsync(
                "copy ai_training_examples (id, contract_id, contract_version, source, use_case, tenant_id, site_id, messages, completion, content_sha256, consent, quality_signals, curation, created_at, minhash) from stdin (format binary)",
                cancellationToken))
            {
                await WriteRowsAsync(import, accepted, staging: false, cancellationToken);
                await import.CompleteAsync(cancellationToken);
            }

            await ExecuteAsync("release savepoint direct_copy", cancellationToken);
            await using var last = new NpgsqlCommand("select max(ingest_seq) from ai_training_examples where contract_id = $1", connection)
            {
                Parameters = { new() { Value = contract.Id } },
            };
            inserted.UnionWith(accepted.Select(a => a.Record.Id));
            return new StoredExamples(inserted, existing, await last.ExecuteScalarAsync(cancellationToken) is long sequence ? sequence : 0);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await ExecuteAsync("rollback to savepoint direct_copy", cancellationToken);
        }

        await ExecuteAsync("""
            create temp table ingest_examples (
                ordinal int, id uuid, source text, use_case text, tenant_id text, site_id text, messages jsonb,
                completion text, content_sha256 text, consent boolean, quality_signals jsonb, curation jsonb,
                created_at timestamptz, minhash bytea
            ) on commit drop
            """, cancellationToken);

        await using (var import = await connection.BeginBinaryImportAsync(
            "copy ingest_examples (ordinal, id, source, use_case, tenant_id, site_id, messages, completion, content_sha256, consent, quality_signals, curation, created_at, minhash) from stdin (format binary)",
            cancellationToken))
        {
            await WriteRowsAsync(import, accepted, staging: true, cancellationToken);
            await import.CompleteAsync(cancellationToken);
        }

        var maxSequence = 0L;
        await using (var insert = new NpgsqlCommand("""
            insert into ai_training_examples (id, contract_id, contract_version, source, use_case, tenant_id, site_id, messages,
                                              completion, content_sha256, consent, quality_signals, curation, created_at, minhash)
            select id, $1, $2, source, use_case, tenant_id, site_id, messages,
                   completion, content_sha256, consent, quality_signals, curation, created_at, minhash
            from ingest_examples
            order by ordinal
            on conflict do nothing
            returning id::text, ingest_seq
            """, connection)
        {
            Parameters = { new() { Value = contract.Id }, new() { Value = contract.Version } },
        })
        {
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add(reader.GetString(0));
                maxSequence = Math.Max(maxSequence, reader.GetInt64(1));
            }
        }

        if (inserted.Count < accepted.Count)
        {
            // Rare: a row stored by a writer outside the lock. Tell a duplicate from an id clash.
            var hashes = accepted.Where(a => !inserted.Contains(a.Record.Id)).Select(a => a.Record.ContentSha256).ToArray();
            await using var lookup = new NpgsqlCommand("select content_sha256, id::text from ai_training_examples where content_sha256 = any($1)", connection)
            {
                Parameters = { new() { Value = hashes } },
            };
            await using var reader = await lookup.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return new StoredExamples(inserted, existing, maxSequence);
    }

    /// <summary>Quarantine rows for the rejected records, by index; a record already held keeps its row (and its id is returned).</summary>
    public async Task<Dictionary<int, long>> WriteQuarantineAsync(List<(int Index, string? Id, Candidate Candidate, IReadOnlyList<CurationDecision> Reasons)> rejected, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<int, long>();
        var fresh = new List<(int Index, string? Id, Candidate Candidate, IReadOnlyList<CurationDecision> Reasons, string Sha256)>();
        foreach (var item in rejected)
        {
            if (item.Candidate.QuarantineId is { } held)
            {
                // Released and still failing: its row stays as it was.
                ids[item.Index] = held;
            }
            else
            {
                fresh.Add((item.Index, item.Id, item.Candidate, item.Reasons, Convert.ToHexStringLower(SHA256.HashData(item.Candidate.Raw.Span))));
            }
        }

        if (fresh.Count == 0)
        {
            return ids;
        }

        await ExecuteAsync("create temp table ingest_quarantine (ordinal int, record_id text, raw_record bytea, raw_sha256 text, reasons jsonb) on commit drop", cancellationToken);
        await using (var import = await connection.BeginBinaryImportAsync("copy ingest_quarantine (ordinal, record_id, raw_record, raw_sha256, reasons) from stdin (format binary)", cancellationToken))
        {
            foreach (var (index, id, candidate, reasons, sha256) in fresh)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(index, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(import, id is null ? null : DecisionJson.Storable(id), cancellationToken);
                await import.WriteAsync(WholeArray(candidate.Raw), NpgsqlDbType.Bytea, cancellationToken);
                await import.WriteAsync(sha256, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(DecisionJson.Array(reasons), NpgsqlDbType.Jsonb, cancellationToken);
            }

            await import.CompleteAsync(cancellationToken);
        }

        var bySha = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var insert = new NpgsqlCommand("""
            insert into ai_training_quarantine (record_id, batch_id, contract_id, contract_version, raw_record, raw_sha256, reasons)
            select record_id, $1, $2, $3, raw_record, raw_sha256, reasons
            from ingest_quarantine
            order by ordinal
            on conflict (coalesce(contract_id, ''), raw_sha256) where status = 'quarantined' do nothing
            returning raw_sha256, id
            """, connection)
        {
            Parameters =
            {
                new() { Value = (object?)target.BatchId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = contract.Id },
                new() { Value = contract.Version },
            },
        })
        {
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                bySha[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var missing = fresh.Select(f => f.Sha256).Where(s => !bySha.ContainsKey(s)).Distinct().ToArray();
        if (missing.Length > 0)
        {
            // Sent before and still held: point at the row that holds it.
            await using var lookup = new NpgsqlCommand(
                "select raw_sha256, id from ai_training_quarantine where coalesce(contract_id, '') = $1 and status = 'quarantined' and raw_sha256 = any($2)",
                connection)
            {
                Parameters = { new() { Value = contract.Id }, new() { Value = missing } },
            };
            await using var reader = await lookup.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                bySha[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        foreach (var item in fresh)
        {
            ids[item.Index] = bySha[item.Sha256];
        }

        return ids;
    }

    /// <summary>Marks released quarantine rows whose record is now stored (or found already stored).</summary>
    public async Task ResolveReleasedAsync(IReadOnlyList<long> quarantineIds, CancellationToken cancellationToken)
    {
        if (quarantineIds.Count == 0 || target.ReleasedBy is null)
        {
            return;
        }

        await using var update = new NpgsqlCommand(
            "update ai_training_quarantine set status = 'released', resolved_at = now(), resolved_by = $2 where id = any($1) and status = 'quarantined'",
            connection)
        {
            Parameters = { new() { Value = quarantineIds.ToArray() }, new() { Value = target.ReleasedBy } },
        };
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One row per accepted record: the staging table's columns (with the ordinal) or the table's own (with the contract).</summary>
    private async Task WriteRowsAsync(NpgsqlBinaryImporter import, List<(int Index, CuratedRecord Record)> accepted, bool staging, CancellationToken cancellationToken)
    {
        foreach (var (index, record) in accepted)
        {
            await import.StartRowAsync(cancellationToken);
            if (staging)
            {
                await import.WriteAsync(index, NpgsqlDbType.Integer, cancellationToken);
            }

            await import.WriteAsync(Guid.Parse(record.Id), NpgsqlDbType.Uuid, cancellationToken);
            if (!staging)
            {
                await import.WriteAsync(contract.Id, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(contract.Version, NpgsqlDbType.Text, cancellationToken);
            }

            await import.WriteAsync(record.Source, NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(record.UseCase, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(import, record.TenantId, cancellationToken);
            await WriteNullableAsync(import, record.SiteId, cancellationToken);
            await import.WriteAsync(MessagesJson(record.Messages), NpgsqlDbType.Jsonb, cancellationToken);
            await import.WriteAsync(record.Completion, NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(record.ContentSha256, NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(record.Consent, NpgsqlDbType.Boolean, cancellationToken);
            await import.WriteAsync(record.QualitySignalsJson, NpgsqlDbType.Jsonb, cancellationToken);
            await import.WriteAsync(DecisionJson.Curation(record.Decisions), NpgsqlDbType.Jsonb, cancellationToken);
            await import.WriteAsync(record.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            if (record.MinHash is { } signature)
            {
                await import.WriteAsync(MinHashBytes.FromSignature(signature), NpgsqlDbType.Bytea, cancellationToken);
            }
            else
            {
                await import.WriteNullAsync(cancellationToken);
            }
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter import, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await import.WriteNullAsync(cancellationToken);
        }
        else
        {
            await import.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
        }
    }

    /// <summary>The bytes as an array, without a copy when the memory already is a whole array.</summary>
    private static byte[] WholeArray(ReadOnlyMemory<byte> raw) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(raw, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : raw.ToArray();

    private static string MessagesJson(IReadOnlyList<TrainingMessage> messages)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, s_json))
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role"u8, message.Role);
                writer.WriteString("content"u8, message.Content);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

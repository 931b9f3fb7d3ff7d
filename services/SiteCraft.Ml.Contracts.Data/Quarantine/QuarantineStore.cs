using Npgsql;
using SiteCraft.Ml.Contracts.Core.Curation;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Data.Ingest;

namespace SiteCraft.Ml.Contracts.Data.Quarantine;

/// <summary>A page of quarantine rows: by status (quarantined, released or rejected), optionally by contract and batch, oldest first.</summary>
public sealed record QuarantineQuery(string Status = "quarantined", string? ContractId = null, string? BatchId = null, int Limit = 100, long AfterId = 0)
{
    public const int MaxLimit = 1000;
}

/// <summary>One row of ai_training_quarantine: the bytes as sent and every reason.</summary>
public sealed record QuarantinedRecord(
    long Id,
    string? RecordId,
    string? BatchId,
    string? ContractId,
    string? ContractVersion,
    byte[] RawRecord,
    string RawSha256,
    IReadOnlyList<CurationDecision> Reasons,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy);

/// <summary>Rows of one page; <see cref="NextAfterId"/> is 0 on the last page.</summary>
public sealed record QuarantinePage(IReadOnlyList<QuarantinedRecord> Records, long NextAfterId);

/// <summary>A quarantined record to try again: with a corrected body, or (null) the stored bytes as they are.</summary>
public sealed record QuarantineRelease(long Id, ReadOnlyMemory<byte>? CorrectedRecord = null);

/// <summary>What a release did: Accepted or Duplicate mean the row is now released; Quarantined means it stays, and why.</summary>
public sealed record ReleaseResult(long Id, RecordFate Fate, IReadOnlyList<CurationDecision> Decisions, string? RecordId);

/// <summary>A quarantine request that names rows that do not exist or asks for something invalid.</summary>
public sealed class QuarantineRequestException(string field, string message, bool notFound = false) : Exception(message)
{
    public string Field { get; } = field;

    public bool NotFound { get; } = notFound;
}

/// <summary>
/// Review of ai_training_quarantine: list what is held, and release records — fixed or as they
/// are after a contract change — through the same curation path as ingest, so a released record
/// is checked exactly as a new one would be.
/// </summary>
public sealed class QuarantineStore(NpgsqlDataSource dataSource, TrainingIngestor ingestor)
{
    private static readonly string[] s_statuses = ["quarantined", "released", "rejected"];

    public async Task<QuarantinePage> ListAsync(QuarantineQuery query, CancellationToken cancellationToken)
    {
        if (!s_statuses.Contains(query.Status, StringComparer.Ordinal))
        {
            throw new QuarantineRequestException("status", $"status must be one of {string.Join(", ", s_statuses)}, not '{query.Status}'.");
        }

        if (query.Limit is < 1 or > QuarantineQuery.MaxLimit)
        {
            throw new QuarantineRequestException("limit", $"limit must be between 1 and {QuarantineQuery.MaxLimit}, not {query.Limit}.");
        }

        await using var command = dataSource.CreateCommand("""
            select id, record_id, batch_id, contract_id, contract_version, raw_record, raw_sha256, reasons::text, status, created_at, resolved_at, resolved_by
            from ai_training_quarantine
            where status = $1 and id > $2 and ($3::text is null or contract_id = $3) and ($4::text is null or batch_id = $4)
            order by id
            limit $5
            """);
        command.Parameters.Add(new() { Value = query.Status });
        command.Parameters.Add(new() { Value = query.AfterId });
        command.Parameters.Add(new() { Value = (object?)query.ContractId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)query.BatchId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = query.Limit + 1 });

        var records = await ReadAsync(command, cancellationToken);
        var more = records.Count > query.Limit;
        if (more)
        {
            records.RemoveAt(records.Count - 1);
        }

        return new QuarantinePage(records, more ? records[^1].Id : 0);
    }

    /// <summary>Releases records through curation under the contracts of <paramref name="catalog"/>; see <see cref="ReleaseResult"/> for what each one did.</summary>
    public async Task<IReadOnlyList<ReleaseResult>> ReleaseAsync(IReadOnlyList<QuarantineRelease> releases, string actor, ContractCatalog catalog, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(actor) || actor.Length > 200 || DecisionJson.Storable(actor) != actor)
        {
            throw new QuarantineRequestException("actor", "actor is required: who releases the records (at most 200 characters), stored as resolved_by.");
        }

        if (releases.Count == 0 || releases.Count > TrainingIngestor.MaxRecordsPerChunk)
        {
            throw new QuarantineRequestException("releases", $"name between 1 and {TrainingIngestor.MaxRecordsPerChunk} quarantine rows to release, not {releases.Count}.");
        }

        var ids = releases.Select(r => r.Id).Distinct().ToArray();
        await using var command = dataSource.CreateCommand("""
            select id, record_id, batch_id, contract_id, contract_version, raw_record, raw_sha256, reasons::text, status, created_at, resolved_at, resolved_by
            from ai_training_quarantine where id = any($1)
            """);
        command.Parameters.Add(new() { Value = ids });
        var rows = (await ReadAsync(command, cancellationToken)).ToDictionary(r => r.Id);

        var missing = ids.Where(id => !rows.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            throw new QuarantineRequestException("releases.id", $"no quarantine row {string.Join(", ", missing)}.", notFound: true);
        }

        var resolved = rows.Values.Where(r => r.Status != "quarantined").ToList();
        if (resolved.Count > 0)
        {
            throw new QuarantineRequestException("releases.id", string.Join("; ", resolved.Select(r => $"quarantine row {r.Id} is already {r.Status}")) + ".");
        }

        var results = new Dictionary<long, ReleaseResult>();
        foreach (var group in releases.DistinctBy(r => r.Id).GroupBy(r => rows[r.Id].ContractId ?? ""))
        {
            if (catalog.Contracts.FirstOrDefault(c => c.Id == group.Key) is not { } contract)
            {
                foreach (var release in group)
                {
                    results[release.Id] = new ReleaseResult(release.Id, RecordFate.Quarantined,
                        [new CurationDecision("contract.unknown", "1", "$", CurationAction.Rejected, $"no loaded data contract '{group.Key}' to validate against")],
                        rows[release.Id].RecordId);
                }

                continue;
            }

            var batch = group.Select(r => (r.Id, r.CorrectedRecord ?? rows[r.Id].RawRecord)).ToList();
            var receipt = await ingestor.ReleaseAsync(contract, actor, batch, cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                var record = receipt.Records[i];
                results[batch[i].Id] = new ReleaseResult(batch[i].Id, record.Fate, record.Decisions, record.RecordId);
            }
        }

        return releases.Select(r => results[r.Id]).ToList();
    }

    private static async Task<List<QuarantinedRecord>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var records = new List<QuarantinedRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new QuarantinedRecord(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<byte[]>(5),
                reader.GetString(6),
                DecisionJson.Parse(reader.GetString(7)),
                reader.GetString(8),
                reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetString(11)));
        }

        return records;
    }
}

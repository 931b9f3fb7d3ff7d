using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Data.Ingest;

namespace SiteCraft.Ml.Contracts.Data.LoopBack;

/// <summary>What one run did: every generation considered ended accepted, quarantined or a duplicate.</summary>
public sealed record LoopBackResult(int Considered, int Accepted, int Quarantined, int Duplicates);

/// <summary>
/// The loop back from production: consented, successful generations whose online-eval scores
/// pass the threshold become training records and go through the same curation path as any
/// ingest (so PII is redacted, duplicates found, bad ones quarantined). Each generation is
/// considered once: ai_training_loopback remembers it with its outcome. A generation that does
/// not qualify yet (no score, a low one) is looked at again next run, until it leaves the window.
/// </summary>
public sealed partial class ProductionLoopBack(NpgsqlDataSource dataSource, TrainingIngestor ingestor, TimeProvider time, ILogger<ProductionLoopBack>? logger = null)
{
    public const string Source = "generation";

    private readonly ILogger _logger = logger ?? NullLogger<ProductionLoopBack>.Instance;

    public async Task<LoopBackResult> RunOnceAsync(DataContract contract, LoopBackOptions options, CancellationToken cancellationToken)
    {
        var total = new LoopBackResult(0, 0, 0, 0);
        long chunk = 0;
        while (true)
        {
            var generations = await QualifyingAsync(options, cancellationToken);
            if (generations.Count == 0)
            {
                break;
            }

            var receipt = await ingestor.IngestAsync(contract, $"loopback-{time.GetUtcNow():yyyyMMdd}", chunk++,
                generations.Select(g => g.Record).ToList(), cancellationToken);
            await RememberAsync(generations, receipt, cancellationToken);
            total = new LoopBackResult(total.Considered + receipt.Received, total.Accepted + receipt.Accepted, total.Quarantined + receipt.Quarantined, total.Duplicates + receipt.Duplicates);
            if (generations.Count < options.BatchSize)
            {
                break;
            }
        }

        if (total.Considered > 0)
        {
            LogRun(_logger, total.Considered, total.Accepted, total.Quarantined, total.Duplicates);
        }

        return total;
    }

    private async Task<List<(Guid GenerationId, ReadOnlyMemory<byte> Record)>> QualifyingAsync(LoopBackOptions options, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select distinct on (e.started_at, e.generation_id)
                   e.generation_id, e.use_case, e.tenant_id, e.site_id, e.prompt, e.completion, e.started_at, s.score
            from ai_generation_events e
            cross join lateral (
                select avg(sc.value) as score, count(*) as n
                from ai_generation_scores sc
                where sc.generation_id = e.generation_id and sc.source = 'online-eval' and sc.data_type in ('numeric', 'boolean')
                  and (cardinality($3::text[]) = 0 or sc.name = any($3))
            ) s
            where e.status = 'ok' and e.consent and e.prompt is not null and e.completion is not null
              and e.environment = any($1) and e.started_at >= $2
              and s.n > 0 and s.score >= $4
              and not exists (select 1 from ai_training_loopback l where l.generation_id = e.generation_id)
            order by e.started_at, e.generation_id
            limit $5
            """);
        command.Parameters.Add(new() { Value = options.Environments.ToArray() });
        command.Parameters.Add(new() { Value = time.GetUtcNow() - options.Lookback });
        command.Parameters.Add(new() { Value = options.ScoreNames.ToArray() });
        command.Parameters.Add(new() { Value = options.MinScore });
        command.Parameters.Add(new() { Value = options.BatchSize });

        var generations = new List<(Guid, ReadOnlyMemory<byte>)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            generations.Add((id, RecordOf(
                id,
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetDouble(7))));
        }

        return generations;
    }

    /// <summary>
    /// The generation as a training record. The prompt column holds the messages as JSON; one that
    /// does not parse is passed on as a string, so the contract quarantines it with its reason.
    /// </summary>
    internal static byte[] RecordOf(Guid id, string useCase, string? tenantId, string? siteId, string prompt, string completion, DateTimeOffset startedAt, double score)
    {
        var buffer = new ArrayBufferWriter<byte>(prompt.Length + completion.Length + 512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, id.ToString());
            writer.WriteString("source"u8, Source);
            writer.WriteString("use_case"u8, useCase);
            writer.WritePropertyName("messages"u8);
            if (IsJsonArray(prompt))
            {
                writer.WriteRawValue(prompt, skipInputValidation: true);
            }
            else
            {
                writer.WriteStringValue(prompt);
            }

            writer.WriteString("completion"u8, completion);
            if (tenantId is not null)
            {
                writer.WriteString("tenant_id"u8, tenantId);
            }

            if (siteId is not null)
            {
                writer.WriteString("site_id"u8, siteId);
            }

            writer.WriteBoolean("consent"u8, true);
            writer.WriteStartObject("quality_signals"u8);
            writer.WriteNumber("online_score"u8, Math.Round(Math.Clamp(score, 0, 1), 6));
            writer.WriteEndObject();
            writer.WriteString("created_at"u8, startedAt.ToUniversalTime());
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool IsJsonArray(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task RememberAsync(List<(Guid GenerationId, ReadOnlyMemory<byte> Record)> generations, IngestReceipt receipt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            insert into ai_training_loopback (generation_id, outcome, record_id)
            select * from unnest($1::uuid[], $2::text[], $3::text[])
            on conflict (generation_id) do nothing
            """);
        command.Parameters.Add(new() { Value = generations.Select(g => g.GenerationId).ToArray() });
        command.Parameters.Add(new() { Value = receipt.Records.Select(r => r.Fate.ToString().ToLowerInvariant()).ToArray() });
        command.Parameters.Add(new() { Value = receipt.Records.Select(r => r.RecordId).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loop-back from production: {Considered} generations considered, {Accepted} accepted, {Quarantined} quarantined, {Duplicates} duplicates")]
    private static partial void LogRun(ILogger logger, int considered, int accepted, int quarantined, int duplicates);
}

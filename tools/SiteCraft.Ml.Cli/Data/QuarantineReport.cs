using System.Globalization;
using System.Text;
using System.Text.Json;
using SiteCraft.Ml.Contracts.Data.Ingest;
using SiteCraft.Ml.Contracts.Data.Quarantine;

namespace SiteCraft.Ml.Cli.Data;

/// <summary>Quarantine rows and release results as lines a person reads (or one JSON document for tools).</summary>
public static class QuarantineReport
{
    public static async Task WriteListAsync(QuarantinePage page, bool json)
    {
        if (json)
        {
            var rows = page.Records.Select(r => new
            {
                id = r.Id,
                record_id = r.RecordId,
                batch_id = r.BatchId,
                contract = r.ContractId is null ? null : $"{r.ContractId}@{r.ContractVersion}",
                status = r.Status,
                created_at = r.CreatedAt,
                raw_sha256 = r.RawSha256,
                raw_record = Encoding.UTF8.GetString(r.RawRecord),
                reasons = r.Reasons.Select(d => new { rule = d.Rule, version = d.Version, field = d.Field, reason = d.Reason, excerpt = d.Excerpt }),
            });
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new { records = rows, next_after_id = page.NextAfterId }));
            return;
        }

        foreach (var record in page.Records)
        {
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"#{record.Id} {record.Status} {record.CreatedAt:yyyy-MM-dd HH:mm:ss}Z record {record.RecordId ?? "(no id)"} batch {record.BatchId ?? "-"} ({record.RawRecord.Length:N0} bytes)"));
            foreach (var reason in record.Reasons)
            {
                await Console.Out.WriteLineAsync($"    {reason.Field} {reason.Rule}: {reason.Reason}");
            }
        }

        await Console.Out.WriteLineAsync(page.NextAfterId == 0
            ? $"{page.Records.Count} rows"
            : $"{page.Records.Count} rows; more with --after {page.NextAfterId}");
    }

    public static async Task<bool> WriteReleasesAsync(IReadOnlyList<ReleaseResult> results)
    {
        foreach (var result in results)
        {
            var verdict = result.Fate switch
            {
                RecordFate.Accepted => "released: stored",
                RecordFate.Duplicate => "released: already stored",
                _ => "still quarantined",
            };
            await Console.Out.WriteLineAsync($"#{result.Id} {verdict} (record {result.RecordId ?? "(no id)"})");
            if (result.Fate == RecordFate.Quarantined)
            {
                foreach (var reason in result.Decisions)
                {
                    await Console.Out.WriteLineAsync($"    {reason.Field} {reason.Rule}: {reason.Reason}");
                }
            }
        }

        return results.All(r => r.Fate != RecordFate.Quarantined);
    }
}

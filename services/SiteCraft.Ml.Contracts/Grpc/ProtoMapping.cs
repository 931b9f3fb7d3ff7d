using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using SiteCraft.Ml.Contracts.Core.Curation;
using SiteCraft.Ml.Contracts.Data.Ingest;
using SiteCraft.Ml.Contracts.Data.Snapshots;
using SiteCraft.Ml.Contracts.V1;

namespace SiteCraft.Ml.Contracts.Grpc;

/// <summary>Data-plane results as protobuf messages.</summary>
internal static class ProtoMapping
{
    public static Decision ToProto(this CurationDecision decision) => new()
    {
        Rule = decision.Rule,
        Version = decision.Version,
        Field = decision.Field,
        Action = DecisionJson.ActionName(decision.Action),
        Reason = DecisionJson.Storable(decision.Reason),
        Excerpt = decision.Excerpt is null ? "" : DecisionJson.Storable(decision.Excerpt),
    };

    public static V1.RecordFate ToProto(this Data.Ingest.RecordFate fate) => fate switch
    {
        Data.Ingest.RecordFate.Accepted => V1.RecordFate.Accepted,
        Data.Ingest.RecordFate.Quarantined => V1.RecordFate.Quarantined,
        _ => V1.RecordFate.Duplicate,
    };

    public static V1.IngestReceipt ToProto(this Data.Ingest.IngestReceipt receipt)
    {
        var message = new V1.IngestReceipt
        {
            Chunk = receipt.Chunk,
            Contract = receipt.Contract,
            Received = receipt.Received,
            Accepted = receipt.Accepted,
            Quarantined = receipt.Quarantined,
            Duplicates = receipt.Duplicates,
        };
        foreach (var record in receipt.Records)
        {
            var item = new V1.RecordReceipt
            {
                Index = record.Index,
                RecordId = record.RecordId is null ? "" : DecisionJson.Storable(record.RecordId),
                Fate = record.Fate.ToProto(),
                DuplicateOf = record.DuplicateOf ?? "",
                QuarantineId = record.QuarantineId ?? 0,
            };
            item.Decisions.Add(record.Decisions.Select(ToProto));
            message.Records.Add(item);
        }

        return message;
    }

    public static V1.QuarantinedRecord ToProto(this Data.Quarantine.QuarantinedRecord record)
    {
        var message = new V1.QuarantinedRecord
        {
            Id = record.Id,
            RecordId = record.RecordId ?? "",
            BatchId = record.BatchId ?? "",
            ContractId = record.ContractId ?? "",
            ContractVersion = record.ContractVersion ?? "",
            RawRecord = ByteString.CopyFrom(record.RawRecord),
            RawSha256 = record.RawSha256,
            Status = record.Status,
            CreatedAt = Timestamp.FromDateTimeOffset(record.CreatedAt),
            ResolvedAt = record.ResolvedAt is { } resolved ? Timestamp.FromDateTimeOffset(resolved) : null,
            ResolvedBy = record.ResolvedBy ?? "",
        };
        message.Reasons.Add(record.Reasons.Select(ToProto));
        return message;
    }

    public static V1.Snapshot ToProto(this SnapshotResult result)
    {
        var message = new V1.Snapshot
        {
            SnapshotId = result.SnapshotId,
            Contract = $"{result.Manifest.Contract.Id}@{result.Manifest.Contract.Version}",
            Directory = result.Directory,
            ManifestJson = result.ManifestJson,
            ManifestSha256 = result.ManifestSha256,
        };
        message.RecordCounts.Add(result.Manifest.RecordCounts.ToDictionary());
        message.Files.Add(result.Manifest.Files.Select(f => new V1.SnapshotFile { Name = f.Name, Split = f.Split, Sha256 = f.Sha256, Bytes = f.Bytes, Records = f.Records }));
        return message;
    }

    public static V1.ContractTestReport ToProto(this Data.Checks.ContractTestReport report)
    {
        var message = new V1.ContractTestReport
        {
            Contract = report.Contract,
            Result = report.Result.ToString().ToLowerInvariant(),
            CheckedAt = Timestamp.FromDateTimeOffset(report.CheckedAt),
        };
        message.Checks.Add(report.Checks.Select(c => new V1.ContractCheck
        {
            Name = c.Name,
            Result = c.Result.ToString().ToLowerInvariant(),
            Expected = c.Expected,
            Actual = c.Actual,
            Message = c.Message,
        }));
        return message;
    }

    public static V1.ReleaseResult ToProto(this Data.Quarantine.ReleaseResult result)
    {
        var message = new V1.ReleaseResult { Id = result.Id, Fate = result.Fate.ToProto(), RecordId = result.RecordId ?? "" };
        message.Decisions.Add(result.Decisions.Select(ToProto));
        return message;
    }
}

using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using SiteCraft.Ml.Contracts.Core.Curation;
using SiteCraft.Ml.Contracts.Data.Ingest;
using SiteCraft.Ml.Contracts.V1;

namespace SiteCraft.Ml.Contracts.GrpcApi;

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

    public static V1.ReleaseResult ToProto(this Data.Quarantine.ReleaseResult result)
    {
        var message = new V1.ReleaseResult { Id = result.Id, Fate = result.Fate.ToProto(), RecordId = result.RecordId ?? "" };
        message.Decisions.Add(result.Decisions.Select(ToProto));
        return message;
    }
}

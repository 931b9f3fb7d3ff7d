using SiteCraft.Ml.Contracts.Core.Curation;

namespace SiteCraft.Ml.Contracts.Data.Ingest;

/// <summary>Where one record of a chunk ended.</summary>
public enum RecordFate
{
    /// <summary>Stored in ai_training_examples.</summary>
    Accepted,

    /// <summary>Held in ai_training_quarantine with its reasons (possibly from an earlier send).</summary>
    Quarantined,

    /// <summary>Its content is already stored; nothing was added.</summary>
    Duplicate,
}

/// <summary>One record's fate, with the decisions that explain it.</summary>
/// <param name="Index">Position in the chunk, from 0.</param>
/// <param name="RecordId">The record's id when it could be read.</param>
/// <param name="Fate">Where it ended.</param>
/// <param name="Decisions">Quarantined: every reason. Duplicate: the dedup decision. Accepted: what curation changed.</param>
/// <param name="DuplicateOf">The stored record a duplicate repeats.</param>
/// <param name="QuarantineId">The quarantine row holding a quarantined record.</param>
public sealed record RecordReceipt(
    int Index,
    string? RecordId,
    RecordFate Fate,
    IReadOnlyList<CurationDecision> Decisions,
    string? DuplicateOf = null,
    long? QuarantineId = null);

/// <summary>
/// What one chunk did, all of it committed: <c>Received == Accepted + Quarantined + Duplicates</c>.
/// </summary>
public sealed record IngestReceipt(long Chunk, string Contract, IReadOnlyList<RecordReceipt> Records)
{
    public int Received => Records.Count;

    public int Accepted => Records.Count(r => r.Fate == RecordFate.Accepted);

    public int Quarantined => Records.Count(r => r.Fate == RecordFate.Quarantined);

    public int Duplicates => Records.Count(r => r.Fate == RecordFate.Duplicate);

    /// <summary>Time spent curating the chunk (validation, normalisation, PII, quality, dedup), after the lock was held.</summary>
    public TimeSpan CurationTime { get; init; }

    /// <summary>Time spent writing the chunk to Postgres (COPY, inserts, commit).</summary>
    public TimeSpan WriteTime { get; init; }
}

/// <summary>A chunk that is itself malformed (too many records, too many bytes); nothing of it was applied.</summary>
public sealed class IngestRequestException(string field, string message) : Exception(message)
{
    /// <summary>The request field at fault, e.g. <c>records</c>.</summary>
    public string Field { get; } = field;
}

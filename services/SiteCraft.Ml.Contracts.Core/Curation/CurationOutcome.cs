namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>
/// Where one record ends: accepted, quarantined with its reasons, or a duplicate of a record
/// already accepted. Every record gets exactly one, so nothing is lost between them.
/// </summary>
public abstract record CurationOutcome
{
    private CurationOutcome(string? recordId, IReadOnlyList<CurationDecision> decisions)
    {
        RecordId = recordId;
        Decisions = decisions;
    }

    /// <summary>The record's id when it could be read; null for records too broken to have one.</summary>
    public string? RecordId { get; }

    /// <summary>Every decision made about the record, in the order they were made.</summary>
    public IReadOnlyList<CurationDecision> Decisions { get; }

    /// <summary>The record lands in ai_training_examples as <see cref="Record"/>.</summary>
    public sealed record Accepted(CuratedRecord Record) : CurationOutcome(Record.Id, Record.Decisions);

    /// <summary>The record goes to ai_training_quarantine; <see cref="Reasons"/> is never empty.</summary>
    public sealed record Quarantined(string? Id, IReadOnlyList<CurationDecision> AllDecisions) : CurationOutcome(Id, AllDecisions)
    {
        public IReadOnlyList<CurationDecision> Reasons { get; } = AllDecisions.Where(d => d.Action == CurationAction.Rejected).ToList();
    }

    /// <summary>The record repeats <see cref="OfRecordId"/>, which was accepted before it.</summary>
    public sealed record Duplicate(CuratedRecord Record, string OfRecordId, DuplicateKind Kind, double Similarity) : CurationOutcome(Record.Id, Record.Decisions);
}

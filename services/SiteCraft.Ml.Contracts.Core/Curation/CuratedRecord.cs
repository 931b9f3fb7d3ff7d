namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>
/// A record after curation, shaped like a row of ai_training_examples. <see cref="MinHash"/> is the
/// near-dedup signature (null when the text has no words to shingle), stored so later ingests compare against it.
/// </summary>
public sealed record CuratedRecord(
    string Id,
    string ContractId,
    string ContractVersion,
    string Source,
    string UseCase,
    IReadOnlyList<TrainingMessage> Messages,
    string Completion,
    string? TenantId,
    string? SiteId,
    bool Consent,
    string QualitySignalsJson,
    DateTimeOffset CreatedAt,
    string ContentSha256,
    IReadOnlyList<CurationDecision> Decisions,
    uint[]? MinHash = null);

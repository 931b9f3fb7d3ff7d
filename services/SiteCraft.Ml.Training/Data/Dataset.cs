namespace SiteCraft.Ml.Training.Data;

/// <summary>The examples a run trains and validates on, and where they came from (for the model card).</summary>
/// <remarks>
/// SnapshotId is the dataset snapshot id, or a description of the synthetic corpus; Sha256 is that of
/// the snapshot's manifest.json, or of the generated corpus as JSONL.
/// </remarks>
internal sealed record Dataset(
    string SnapshotId,
    string Sha256,
    bool Synthetic,
    IReadOnlyList<TrainingExample> Train,
    IReadOnlyList<TrainingExample> Validation);

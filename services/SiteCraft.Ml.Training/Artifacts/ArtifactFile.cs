namespace SiteCraft.Ml.Training.Artifacts;

/// <summary>One file of an artifact as ai_model_artifacts.files records it.</summary>
public sealed record ArtifactFile(string Name, string Sha256, long Bytes);

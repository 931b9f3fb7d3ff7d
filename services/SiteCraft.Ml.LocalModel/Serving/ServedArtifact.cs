namespace SiteCraft.Ml.LocalModel.Serving;

/// <summary>An artifact ready to serve and the model id it answers as (<c>name@version</c>).</summary>
public sealed record ServedArtifact(string ModelId, LocalModelArtifact Artifact);

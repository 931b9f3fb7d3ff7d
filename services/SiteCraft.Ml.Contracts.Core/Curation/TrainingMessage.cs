namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>One chat message of a training record's prompt.</summary>
public sealed record TrainingMessage(string Role, string Content);

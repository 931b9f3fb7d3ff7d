namespace SiteCraft.Ml.Training.Corpus;

/// <summary>One chat message of a prompt; roles are "system" and "user".</summary>
public sealed record ChatMessage(string Role, string Content);

namespace SiteCraft.Ml.Training.Data;

/// <summary>One chat-style record: the prompt messages and the completion the model learns to write.</summary>
internal sealed record TrainingExample(string Id, string UseCase, IReadOnlyList<(string Role, string Content)> Messages, string Completion);

namespace SiteCraft.Ml.Training.Corpus;

/// <summary>One training example: the prompt messages for a use case and the completion the model should learn.</summary>
public sealed record CorpusExample(string Id, string UseCase, string BriefId, IReadOnlyList<ChatMessage> Messages, string Completion);

namespace SiteCraft.Ml.LocalModel.Serving;

/// <summary>A whole answer.</summary>
public sealed record GenerationResult(string Text, GenerationFinish Finish, int PromptTokens, int CompletionTokens);

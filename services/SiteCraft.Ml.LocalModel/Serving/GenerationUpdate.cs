namespace SiteCraft.Ml.LocalModel.Serving;

/// <summary>
/// A piece of a streamed answer. The last update of a generation carries <see cref="Finish"/>
/// and the token counts (its text may be empty).
/// </summary>
public sealed record GenerationUpdate(string Text, GenerationFinish? Finish = null, int PromptTokens = 0, int CompletionTokens = 0);

namespace SiteCraft.Ml.LocalModel.Serving;

/// <summary>The prompt does not fit the context with room for an answer, and truncation was not allowed.</summary>
public sealed class PromptTooLongException(int promptTokens, int limit)
    : Exception($"the prompt is {promptTokens} tokens; the model's context is {limit} tokens and needs room for at least one answer token (allow truncation to drop the oldest tokens)")
{
    public int PromptTokens { get; } = promptTokens;

    public int Limit { get; } = limit;
}

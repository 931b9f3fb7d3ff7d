namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>Why a generation ended.</summary>
public enum FinishReason
{
    /// <summary>A stop token was sampled; it is the last token yielded.</summary>
    Stop,

    /// <summary>max_tokens were generated.</summary>
    MaxTokens,

    /// <summary>The sequence reached the model's max_position_embeddings.</summary>
    ContextLength,
}

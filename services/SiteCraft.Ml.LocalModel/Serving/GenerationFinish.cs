namespace SiteCraft.Ml.LocalModel.Serving;

/// <summary>Why an answer ended, in the terms chat APIs use.</summary>
public enum GenerationFinish
{
    /// <summary>The model ended its turn, or a stop sequence appeared.</summary>
    Stop,

    /// <summary>max_tokens, or the end of the context.</summary>
    Length,
}

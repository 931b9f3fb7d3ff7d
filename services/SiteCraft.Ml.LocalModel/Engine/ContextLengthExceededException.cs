namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>A sequence would grow past the model's max_position_embeddings.</summary>
public sealed class ContextLengthExceededException(int limit, int requested)
    : Exception($"the sequence would need {requested} positions but the model's context limit is {limit} (max_position_embeddings)")
{
    public int Limit { get; } = limit;

    public int Requested { get; } = requested;
}

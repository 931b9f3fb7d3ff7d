namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>How tokens are chosen from the logits and when generation stops.</summary>
public sealed record SamplingOptions
{
    /// <summary>0 is greedy (argmax); otherwise logits are divided by it before softmax.</summary>
    public float Temperature { get; init; }

    /// <summary>Nucleus: sample among the most likely tokens whose probabilities add up to this; 1 keeps all.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Sample among this many most likely tokens; 0 keeps all.</summary>
    public int TopK { get; init; }

    /// <summary>The same seed gives the same tokens; null draws a fresh seed.</summary>
    public long? Seed { get; init; }

    public int MaxTokens { get; init; } = 256;

    public IReadOnlyCollection<int> StopTokenIds { get; init; } = [];

    /// <summary>Tokens outside this constraint are never sampled (e.g. to keep the output valid JSON); null allows all.</summary>
    public ITokenConstraint? Constraint { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> whose ParamName and message name the field.</summary>
    public void Validate()
    {
        if (!(Temperature >= 0 && Temperature <= 2))
        {
            throw new ArgumentException($"temperature must be between 0 and 2, not {Temperature}", "temperature");
        }

        if (!(TopP > 0 && TopP <= 1))
        {
            throw new ArgumentException($"top_p must be in (0, 1], not {TopP}", "top_p");
        }

        if (TopK < 0)
        {
            throw new ArgumentException($"top_k must be at least 0, not {TopK}", "top_k");
        }

        if (MaxTokens < 1)
        {
            throw new ArgumentException($"max_tokens must be at least 1, not {MaxTokens}", "max_tokens");
        }

        if (StopTokenIds is null)
        {
            throw new ArgumentException("stop_token_ids must not be null", "stop_token_ids");
        }
    }
}

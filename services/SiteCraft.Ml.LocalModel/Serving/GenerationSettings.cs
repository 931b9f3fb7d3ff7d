using SiteCraft.Ml.LocalModel.Engine;

namespace SiteCraft.Ml.LocalModel.Serving;

/// <summary>How to generate one answer: sampling, limits, stop sequences, and whether a long prompt may be cut.</summary>
public sealed record GenerationSettings
{
    /// <summary>0 means greedy.</summary>
    public float Temperature { get; init; }

    public float TopP { get; init; } = 1f;

    public int TopK { get; init; }

    public long? Seed { get; init; }

    public int MaxTokens { get; init; } = 256;

    /// <summary>Text that ends the answer when it appears; the stop text itself is not returned.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Constrain decoding so the answer is valid JSON (the <c>json</c> response format).</summary>
    public bool JsonOutput { get; init; }

    /// <summary>When the prompt is longer than the context allows, drop its oldest tokens instead of refusing it.</summary>
    public bool TruncatePrompt { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the field when a value is out of range.</summary>
    public void Validate()
    {
        ToSampling([]).Validate();
        for (var i = 0; i < StopSequences.Count; i++)
        {
            if (string.IsNullOrEmpty(StopSequences[i]))
            {
                throw new ArgumentException($"stop_sequences[{i}] must not be empty", "stop_sequences");
            }
        }
    }

    internal SamplingOptions ToSampling(IReadOnlyCollection<int> stopTokens) => new()
    {
        Temperature = Temperature,
        TopP = TopP,
        TopK = TopK,
        Seed = Seed,
        MaxTokens = MaxTokens,
        StopTokenIds = stopTokens,
    };
}

namespace SiteCraft.Ml.Training.Model;

/// <summary>The hyperparameters that fix the network's shape (written to config.json as a LlamaConfig).</summary>
public sealed record ModelShape(
    int VocabSize = 4096,
    int Hidden = 256,
    int Layers = 4,
    int Heads = 8,
    int KvHeads = 4,
    int Intermediate = 688,
    int Context = 512,
    double RmsNormEps = 1e-5,
    double RopeTheta = 10000.0)
{
    public int HeadDim => Hidden / Heads;

    /// <summary>Parameters with the output projection tied to the embedding.</summary>
    public long ParameterCount =>
        ((long)VocabSize * Hidden)
        + (Layers * (((long)Hidden * HeadDim * (Heads + KvHeads + KvHeads)) + ((long)Heads * HeadDim * Hidden) + (3L * Hidden * Intermediate) + (2L * Hidden)))
        + Hidden;

    /// <summary>Why the shape is unusable, naming the option, or null.</summary>
    public string? Problem() =>
        VocabSize < 300 ? "--vocab-size must be at least 300 (6 special tokens + 256 bytes + merges)"
        : Hidden <= 0 || Hidden % Heads != 0 ? "--hidden must be a positive multiple of --heads"
        : HeadDim % 2 != 0 ? "--hidden / --heads (the head size) must be even for rotary embeddings"
        : KvHeads <= 0 || Heads % KvHeads != 0 ? "--heads must be a multiple of --kv-heads"
        : Layers <= 0 ? "--layers must be at least 1"
        : Intermediate <= 0 ? "--intermediate must be positive"
        : Context < 16 ? "--context must be at least 16"
        : null;
}

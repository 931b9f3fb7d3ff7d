using System.Text.Json;
using System.Text.Json.Serialization;

namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>The config.json of a Hugging Face LlamaForCausalLM, with the field names transformers writes.</summary>
public sealed record LlamaConfig
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [JsonPropertyName("architectures")]
    public IReadOnlyList<string> Architectures { get; init; } = ["LlamaForCausalLM"];

    [JsonPropertyName("model_type")]
    public string ModelType { get; init; } = "llama";

    [JsonPropertyName("vocab_size")]
    public required int VocabSize { get; init; }

    [JsonPropertyName("hidden_size")]
    public required int HiddenSize { get; init; }

    [JsonPropertyName("intermediate_size")]
    public required int IntermediateSize { get; init; }

    [JsonPropertyName("num_hidden_layers")]
    public required int NumHiddenLayers { get; init; }

    [JsonPropertyName("num_attention_heads")]
    public required int NumAttentionHeads { get; init; }

    /// <summary>Grouped KV heads; absent in older configs, which means one per attention head.</summary>
    [JsonPropertyName("num_key_value_heads")]
    public int? NumKeyValueHeads { get; init; }

    /// <summary>Absent in older configs, which means hidden_size / num_attention_heads.</summary>
    [JsonPropertyName("head_dim")]
    public int? HeadDim { get; init; }

    [JsonPropertyName("max_position_embeddings")]
    public required int MaxPositionEmbeddings { get; init; }

    [JsonPropertyName("rms_norm_eps")]
    public double RmsNormEps { get; init; } = 1e-6;

    [JsonPropertyName("rope_theta")]
    public double RopeTheta { get; init; } = 10000.0;

    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; init; }

    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; init; } = "silu";

    [JsonPropertyName("attention_bias")]
    public bool AttentionBias { get; init; }

    [JsonPropertyName("mlp_bias")]
    public bool MlpBias { get; init; }

    [JsonPropertyName("bos_token_id")]
    public int? BosTokenId { get; init; }

    [JsonPropertyName("eos_token_id")]
    public int? EosTokenId { get; init; }

    [JsonPropertyName("pad_token_id")]
    public int? PadTokenId { get; init; }

    [JsonPropertyName("torch_dtype")]
    public string TorchDtype { get; init; } = "float32";

    [JsonPropertyName("transformers_version")]
    public string? TransformersVersion { get; init; }

    [JsonIgnore]
    public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;

    [JsonIgnore]
    public int HeadDimension => HeadDim ?? (NumAttentionHeads > 0 ? HiddenSize / NumAttentionHeads : 0);

    public static LlamaConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new ModelLoadException($"{path}: cannot read the config: {e.Message}", e);
        }

        try
        {
            return FromJson(json);
        }
        catch (ModelLoadException e)
        {
            throw new ModelLoadException($"{path}: {e.Message}", e);
        }
    }

    public static LlamaConfig FromJson(string json)
    {
        LlamaConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<LlamaConfig>(json, s_json);
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"config is not a valid LlamaConfig: {e.Message}", e);
        }

        if (config is null)
        {
            throw new ModelLoadException("config is null");
        }

        config.Validate();
        return config;
    }

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Writes config.json to a temporary file renamed over <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, ToJson());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Checks the config describes a model this engine computes; the exception names the field.</summary>
    public void Validate()
    {
        Positive("vocab_size", VocabSize);
        Positive("hidden_size", HiddenSize);
        Positive("intermediate_size", IntermediateSize);
        Positive("num_hidden_layers", NumHiddenLayers);
        Positive("num_attention_heads", NumAttentionHeads);
        Positive("num_key_value_heads", KeyValueHeads);
        Positive("max_position_embeddings", MaxPositionEmbeddings);
        if (HeadDim is null && HiddenSize % NumAttentionHeads != 0)
        {
            throw new ModelLoadException($"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        }

        Positive("head_dim", HeadDimension);
        if (HeadDimension % 2 != 0)
        {
            throw new ModelLoadException($"head_dim {HeadDimension} must be even for rotary embeddings");
        }

        if (NumAttentionHeads % KeyValueHeads != 0)
        {
            throw new ModelLoadException($"num_attention_heads {NumAttentionHeads} is not divisible by num_key_value_heads {KeyValueHeads}");
        }

        if (!(RmsNormEps > 0))
        {
            throw new ModelLoadException($"rms_norm_eps must be positive, not {RmsNormEps}");
        }

        if (!(RopeTheta > 0))
        {
            throw new ModelLoadException($"rope_theta must be positive, not {RopeTheta}");
        }

        if (HiddenAct != "silu")
        {
            throw new ModelLoadException($"hidden_act '{HiddenAct}' is not supported (only silu)");
        }

        if (AttentionBias)
        {
            throw new ModelLoadException("attention_bias true is not supported");
        }

        if (MlpBias)
        {
            throw new ModelLoadException("mlp_bias true is not supported");
        }
    }

    private static void Positive(string field, int value)
    {
        if (value < 1)
        {
            throw new ModelLoadException($"{field} must be positive, not {value}");
        }
    }
}

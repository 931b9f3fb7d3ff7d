namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>
/// A Llama decoder (LlamaForCausalLM) in float32, its weights laid out for the engine's matrix-vector
/// products and its rotary tables precomputed. Immutable: any number of sessions share it.
/// </summary>
public sealed class LlamaModel
{
    public const string EmbedTokens = "model.embed_tokens.weight";
    public const string FinalNorm = "model.norm.weight";
    public const string LmHead = "lm_head.weight";

    private LlamaModel(LlamaConfig config, EngineOptions options, float[] embedding, LayerWeights[] layers, float[] finalNorm, float[] lmHead)
    {
        Config = config;
        Options = options;
        Embedding = embedding;
        Layers = layers;
        FinalNormWeight = finalNorm;
        LmHeadWeight = lmHead;
        Hidden = config.HiddenSize;
        Heads = config.NumAttentionHeads;
        KeyValueHeads = config.KeyValueHeads;
        HeadDim = config.HeadDimension;
        QueryDim = Heads * HeadDim;
        KeyValueDim = KeyValueHeads * HeadDim;
        Intermediate = config.IntermediateSize;
        Vocab = config.VocabSize;
        MaxPositions = config.MaxPositionEmbeddings;
        Epsilon = (float)config.RmsNormEps;
        (RopeCos, RopeSin) = RopeTables(config);
    }

    public LlamaConfig Config { get; }

    public EngineOptions Options { get; }

    /// <summary>Distinct parameters; tied embeddings count once.</summary>
    public long ParameterCount => TensorNames(Config).Sum(name => SafeTensor.ElementCount(TensorShape(Config, name)));

    internal float[] Embedding { get; }

    internal LayerWeights[] Layers { get; }

    internal float[] FinalNormWeight { get; }

    /// <summary>The embedding itself when tie_word_embeddings.</summary>
    internal float[] LmHeadWeight { get; }

    internal int Hidden { get; }

    internal int Heads { get; }

    internal int KeyValueHeads { get; }

    internal int HeadDim { get; }

    internal int QueryDim { get; }

    internal int KeyValueDim { get; }

    internal int Intermediate { get; }

    internal int Vocab { get; }

    internal int MaxPositions { get; }

    internal float Epsilon { get; }

    /// <summary>cos and sin of position × inv_freq, [max_position_embeddings, head_dim / 2]; HF duplicates them over both halves.</summary>
    internal float[] RopeCos { get; }

    internal float[] RopeSin { get; }

    public InferenceSession CreateSession() => new(this);

    public static LlamaModel Load(string configPath, string safetensorsPath, EngineOptions? options = null)
    {
        var config = LlamaConfig.Load(configPath);
        var tensors = SafeTensorsFile.Read(safetensorsPath);
        try
        {
            return FromTensors(config, tensors, options);
        }
        catch (ModelLoadException e)
        {
            throw new ModelLoadException($"{safetensorsPath}: {e.Message}", e);
        }
    }

    /// <summary>The Hugging Face tensor names of a model with this config, in the order the layers run.</summary>
    public static IReadOnlyList<string> TensorNames(LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var names = new List<string> { EmbedTokens };
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            names.Add($"model.layers.{i}.input_layernorm.weight");
            names.Add($"model.layers.{i}.self_attn.q_proj.weight");
            names.Add($"model.layers.{i}.self_attn.k_proj.weight");
            names.Add($"model.layers.{i}.self_attn.v_proj.weight");
            names.Add($"model.layers.{i}.self_attn.o_proj.weight");
            names.Add($"model.layers.{i}.post_attention_layernorm.weight");
            names.Add($"model.layers.{i}.mlp.gate_proj.weight");
            names.Add($"model.layers.{i}.mlp.up_proj.weight");
            names.Add($"model.layers.{i}.mlp.down_proj.weight");
        }

        names.Add(FinalNorm);
        if (!config.TieWordEmbeddings)
        {
            names.Add(LmHead);
        }

        return names;
    }

    /// <summary>The shape a tensor of this config must have; linear weights are [out_features, in_features].</summary>
    public static int[] TensorShape(LlamaConfig config, string name)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(name);
        var hidden = config.HiddenSize;
        var query = config.NumAttentionHeads * config.HeadDimension;
        var keyValue = config.KeyValueHeads * config.HeadDimension;
        if (name is EmbedTokens or LmHead)
        {
            return [config.VocabSize, hidden];
        }

        if (name == FinalNorm)
        {
            return [hidden];
        }

        var suffix = LayerSuffix(name)
            ?? throw new ArgumentException($"{name} is not a tensor of LlamaForCausalLM", nameof(name));
        return suffix switch
        {
            "input_layernorm.weight" or "post_attention_layernorm.weight" => [hidden],
            "self_attn.q_proj.weight" => [query, hidden],
            "self_attn.k_proj.weight" or "self_attn.v_proj.weight" => [keyValue, hidden],
            "self_attn.o_proj.weight" => [hidden, query],
            "mlp.gate_proj.weight" or "mlp.up_proj.weight" => [config.IntermediateSize, hidden],
            "mlp.down_proj.weight" => [hidden, config.IntermediateSize],
            _ => throw new ArgumentException($"{name} is not a tensor of LlamaForCausalLM", nameof(name)),
        };
    }

    private static string? LayerSuffix(string name)
    {
        const string Prefix = "model.layers.";
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var dot = name.IndexOf('.', Prefix.Length);
        return dot < 0 ? null : name[(dot + 1)..];
    }

    /// <summary>Checks every tensor against the config (missing, extra, mis-shaped) and lays the weights out for the engine.</summary>
    public static LlamaModel FromTensors(LlamaConfig config, IReadOnlyDictionary<string, SafeTensor> tensors, EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tensors);
        config.Validate();
        options ??= new EngineOptions();
        options.Validate();
        Check(config, tensors);

        float[] Get(string name) => tensors[name].Data;
        var layers = new LayerWeights[config.NumHiddenLayers];
        for (var i = 0; i < layers.Length; i++)
        {
            var prefix = $"model.layers.{i}.";
            layers[i] = new LayerWeights(
                (float[])Get(prefix + "input_layernorm.weight").Clone(),
                Concat(Get(prefix + "self_attn.q_proj.weight"), Get(prefix + "self_attn.k_proj.weight"), Get(prefix + "self_attn.v_proj.weight")),
                (float[])Get(prefix + "self_attn.o_proj.weight").Clone(),
                (float[])Get(prefix + "post_attention_layernorm.weight").Clone(),
                Concat(Get(prefix + "mlp.gate_proj.weight"), Get(prefix + "mlp.up_proj.weight")),
                (float[])Get(prefix + "mlp.down_proj.weight").Clone());
        }

        var embedding = (float[])Get(EmbedTokens).Clone();
        var lmHead = config.TieWordEmbeddings ? embedding : (float[])Get(LmHead).Clone();
        return new LlamaModel(config, options, embedding, layers, (float[])Get(FinalNorm).Clone(), lmHead);
    }

    private static void Check(LlamaConfig config, IReadOnlyDictionary<string, SafeTensor> tensors)
    {
        var expected = TensorNames(config);
        foreach (var name in expected)
        {
            var shape = TensorShape(config, name);
            if (!tensors.TryGetValue(name, out var tensor))
            {
                throw new ModelLoadException($"tensor {name} is missing (expected shape {SafeTensorsFile.Describe(shape)})");
            }

            if (!tensor.Shape.AsSpan().SequenceEqual(shape) || tensor.Data.Length != SafeTensor.ElementCount(shape))
            {
                throw new ModelLoadException($"tensor {name}: expected shape {SafeTensorsFile.Describe(shape)} from the config but the weights have {SafeTensorsFile.Describe(tensor.Shape)}");
            }
        }

        var known = expected.ToHashSet(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (known.Contains(name))
            {
                continue;
            }

            // Older transformers checkpoints carry this buffer; the engine computes it from rope_theta.
            if (name.EndsWith(".self_attn.rotary_emb.inv_freq", StringComparison.Ordinal))
            {
                continue;
            }

            var why = name == LmHead ? " (tie_word_embeddings is true, so the LM head is model.embed_tokens.weight)" : "";
            throw new ModelLoadException($"tensor {name} with shape {SafeTensorsFile.Describe(tensor.Shape)} is not expected by the config{why}");
        }
    }

    /// <summary>The weights under their Hugging Face names and shapes, as float32 copies.</summary>
    public IReadOnlyList<SafeTensor> ToTensors()
    {
        var tensors = new List<SafeTensor> { Tensor(EmbedTokens, Embedding) };
        for (var i = 0; i < Layers.Length; i++)
        {
            var layer = Layers[i];
            var prefix = $"model.layers.{i}.";
            var q = QueryDim * Hidden;
            var kv = KeyValueDim * Hidden;
            var mlp = Intermediate * Hidden;
            tensors.Add(Tensor(prefix + "input_layernorm.weight", layer.InputNorm));
            tensors.Add(Tensor(prefix + "self_attn.q_proj.weight", layer.QueryKeyValue.AsSpan(0, q).ToArray()));
            tensors.Add(Tensor(prefix + "self_attn.k_proj.weight", layer.QueryKeyValue.AsSpan(q, kv).ToArray()));
            tensors.Add(Tensor(prefix + "self_attn.v_proj.weight", layer.QueryKeyValue.AsSpan(q + kv, kv).ToArray()));
            tensors.Add(Tensor(prefix + "self_attn.o_proj.weight", layer.Output));
            tensors.Add(Tensor(prefix + "post_attention_layernorm.weight", layer.PostAttentionNorm));
            tensors.Add(Tensor(prefix + "mlp.gate_proj.weight", layer.GateUp.AsSpan(0, mlp).ToArray()));
            tensors.Add(Tensor(prefix + "mlp.up_proj.weight", layer.GateUp.AsSpan(mlp, mlp).ToArray()));
            tensors.Add(Tensor(prefix + "mlp.down_proj.weight", layer.Down));
        }

        tensors.Add(Tensor(FinalNorm, FinalNormWeight));
        if (!Config.TieWordEmbeddings)
        {
            tensors.Add(Tensor(LmHead, LmHeadWeight));
        }

        return tensors;
    }

    private SafeTensor Tensor(string name, float[] data) => SafeTensor.F32(name, TensorShape(Config, name), (float[])data.Clone());

    /// <summary>Random weights (normal, std 0.02; norm weights 1) for tests and benchmarks.</summary>
    public static LlamaModel CreateRandom(LlamaConfig config, int seed, EngineOptions? options = null) =>
        FromTensors(config, RandomTensors(config, seed, 0.02f), options);

    /// <summary>Random tensors under the config's names: linear and embedding weights normal with <paramref name="std"/>, norm weights 1.</summary>
    public static IReadOnlyDictionary<string, SafeTensor> RandomTensors(LlamaConfig config, int seed, float std)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var random = new SplitMix64((ulong)seed);
        var tensors = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
        foreach (var name in TensorNames(config))
        {
            var shape = TensorShape(config, name);
            var data = new float[SafeTensor.ElementCount(shape)];
            if (shape.Length == 1)
            {
                data.AsSpan().Fill(1f);
            }
            else
            {
                for (var i = 0; i < data.Length; i++)
                {
                    data[i] = random.NextGaussian() * std;
                }
            }

            tensors[name] = SafeTensor.F32(name, shape, data);
        }

        return tensors;
    }

    private static float[] Concat(params float[][] parts)
    {
        var result = new float[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }

    private static (float[] Cos, float[] Sin) RopeTables(LlamaConfig config)
    {
        var half = config.HeadDimension / 2;
        var positions = config.MaxPositionEmbeddings;
        var cos = new float[positions * half];
        var sin = new float[positions * half];
        // In float32 as transformers computes them, so angles at long positions round as they do there.
        var inverseFrequency = new float[half];
        for (var i = 0; i < half; i++)
        {
            inverseFrequency[i] = (float)(1.0 / Math.Pow(config.RopeTheta, (float)(2 * i) / config.HeadDimension));
        }

        for (var position = 0; position < positions; position++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = (float)position * inverseFrequency[i];
                cos[(position * half) + i] = (float)Math.Cos(angle);
                sin[(position * half) + i] = (float)Math.Sin(angle);
            }
        }

        return (cos, sin);
    }
}

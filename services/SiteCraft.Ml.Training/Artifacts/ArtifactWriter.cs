using System.Security.Cryptography;
using SiteCraft.Ml.LocalModel.Engine;
using SiteCraft.Ml.LocalModel.Tokenization;
using SiteCraft.Ml.Training.Model;
using static TorchSharp.torch;

namespace SiteCraft.Ml.Training.Artifacts;

/// <summary>
/// Writes a trained model in the Hugging Face layout: model.safetensors (float32, Llama tensor
/// names), config.json (LlamaConfig), tokenizer.json and tokenizer_config.json. The model card is
/// written last by <see cref="ModelCard"/>, once the samples and quality figures exist.
/// </summary>
internal static class ArtifactWriter
{
    public const string Weights = "model.safetensors";
    public const string Config = "config.json";
    public const string Tokenizer = "tokenizer.json";
    public const string TokenizerConfig = "tokenizer_config.json";
    public const string Card = "model_card.md";

    /// <summary>The files a complete artifact holds, in the order they are listed.</summary>
    public static IReadOnlyList<string> Files { get; } = [Weights, Config, Tokenizer, TokenizerConfig, Card];

    public static LlamaConfig ConfigFor(ModelShape shape) => new()
    {
        VocabSize = shape.VocabSize,
        HiddenSize = shape.Hidden,
        IntermediateSize = shape.Intermediate,
        NumHiddenLayers = shape.Layers,
        NumAttentionHeads = shape.Heads,
        NumKeyValueHeads = shape.KvHeads,
        HeadDim = shape.HeadDim,
        MaxPositionEmbeddings = shape.Context,
        RmsNormEps = shape.RmsNormEps,
        RopeTheta = shape.RopeTheta,
        TieWordEmbeddings = true,
        BosTokenId = 0,
        EosTokenId = 4,
        PadTokenId = 5,
    };

    /// <summary>The model's parameters as safetensors entries, named as Hugging Face names them.</summary>
    public static IReadOnlyList<SafeTensor> Tensors(LlamaForCausalLM model)
    {
        using var _ = no_grad();
        return [.. model.named_parameters().Select(p => new SafeTensor(
            p.name,
            "F32",
            [.. p.parameter.shape.Select(d => (int)d)],
            p.parameter.detach().cpu().contiguous().data<float>().ToArray()))];
    }

    public static void WriteModel(string directory, LlamaForCausalLM model, BpeTokenizer tokenizer, IReadOnlyDictionary<string, string> metadata)
    {
        Directory.CreateDirectory(directory);
        SafeTensorsFile.Write(Path.Combine(directory, Weights), Tensors(model), metadata);
        ConfigFor(model.Shape).Save(Path.Combine(directory, Config));
        tokenizer.Save(Path.Combine(directory, Tokenizer));
        File.WriteAllText(Path.Combine(directory, TokenizerConfig), tokenizer.ToTokenizerConfigJson(model.Shape.Context));
    }

    /// <summary>Name, sha256 and size of every artifact file present.</summary>
    public static IReadOnlyList<ArtifactFile> Describe(string directory) =>
        [.. Files
            .Select(name => Path.Combine(directory, name))
            .Where(File.Exists)
            .Select(path =>
            {
                using var stream = File.OpenRead(path);
                return new ArtifactFile(Path.GetFileName(path), Convert.ToHexStringLower(SHA256.HashData(stream)), new FileInfo(path).Length);
            })];
}

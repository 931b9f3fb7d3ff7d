using SiteCraft.Ml.LocalModel.Engine;
using SiteCraft.Ml.LocalModel.Tokenization;

namespace SiteCraft.Ml.IntegrationTests.Inference;

/// <summary>Tiny but real local-model artifacts (random weights, a trained tokenizer) written in the served format.</summary>
internal static class LocalArtifacts
{
    private static readonly Lazy<BpeTokenizer> s_tokenizer = new(() => BpeTokenizer.Train(
        ["SiteCraft builds landing pages for bakeries, dentists and yoga studios.", "{\"title\":\"Fresh bread\",\"description\":\"Baked daily\"}"],
        vocabSize: 300));

    /// <summary>Writes config.json, model.safetensors and tokenizer.json into <paramref name="directory"/>.</summary>
    public static string Write(string directory, int seed, int context = 64)
    {
        Directory.CreateDirectory(directory);
        var tokenizer = s_tokenizer.Value;
        var config = new LlamaConfig
        {
            VocabSize = tokenizer.VocabSize,
            HiddenSize = 16,
            IntermediateSize = 32,
            NumHiddenLayers = 1,
            NumAttentionHeads = 2,
            NumKeyValueHeads = 1,
            MaxPositionEmbeddings = context,
            TieWordEmbeddings = true,
            BosTokenId = SpecialTokens.EndOfTextId,
            EosTokenId = SpecialTokens.EndId,
        };
        config.Save(Path.Combine(directory, "config.json"));
        SafeTensorsFile.Write(Path.Combine(directory, "model.safetensors"), LlamaModel.CreateRandom(config, seed).ToTensors());
        tokenizer.Save(Path.Combine(directory, "tokenizer.json"));
        return directory;
    }
}

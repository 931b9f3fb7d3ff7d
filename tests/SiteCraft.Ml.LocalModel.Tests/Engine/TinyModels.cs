using SiteCraft.Ml.LocalModel.Engine;

namespace SiteCraft.Ml.LocalModel.Tests.Engine;

/// <summary>Small Llama configs and weights large enough (std 0.3, norm weights away from 1) that a wrong formula moves the logits.</summary>
internal static class TinyModels
{
    public static LlamaConfig Config(bool tied = true, int keyValueHeads = 2, int context = 32) => new()
    {
        VocabSize = 50,
        HiddenSize = 16,
        IntermediateSize = 40,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = keyValueHeads,
        HeadDim = 4,
        MaxPositionEmbeddings = context,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        TieWordEmbeddings = tied,
        BosTokenId = 1,
        EosTokenId = 2,
    };

    public static Dictionary<string, SafeTensor> Tensors(LlamaConfig config, int seed = 7)
    {
        var tensors = LlamaModel.RandomTensors(config, seed, 0.3f).ToDictionary();
        var random = new Random(seed);
        foreach (var tensor in tensors.Values.Where(t => t.Shape.Length == 1))
        {
            for (var i = 0; i < tensor.Data.Length; i++)
            {
                tensor.Data[i] = 0.5f + (float)random.NextDouble();
            }
        }

        return tensors;
    }

    public static LlamaModel Model(LlamaConfig config, int threads = 1) =>
        LlamaModel.FromTensors(config, Tensors(config), new EngineOptions { Threads = threads });

    public static int[] Tokens(int count, int vocab, int seed = 3)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(vocab))];
    }
}

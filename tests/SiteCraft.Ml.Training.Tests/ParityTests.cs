using SiteCraft.Ml.LocalModel.Engine;
using SiteCraft.Ml.Training.Artifacts;
using SiteCraft.Ml.Training.Model;
using static TorchSharp.torch;

namespace SiteCraft.Ml.Training.Tests;

/// <summary>The C# engine computes what the training framework computes, on the same weights and inputs.</summary>
public sealed class ParityTests
{
    public ParityTests() => TorchFixture.EnsureReady();

    [Theory]
    [InlineData(8, 2)] // grouped-query attention
    [InlineData(4, 4)] // one key/value head per query head
    public void Engine_logits_match_the_TorchSharp_forward_pass_within_1e_4(int heads, int kvHeads)
    {
        var shape = new ModelShape(VocabSize: 320, Hidden: 64, Layers: 2, Heads: heads, KvHeads: kvHeads, Intermediate: 96, Context: 64);
        manual_seed(7);
        using var model = new LlamaForCausalLM(shape);
        model.eval();
        // Larger than initialisation scale, so attention is far from uniform and rotary errors would show.
        using (no_grad())
        {
            foreach (var p in model.parameters())
            {
                if (p.dim() >= 2)
                {
                    p.mul_(4.0f);
                }
            }
        }

        var tokens = Enumerable.Range(0, 40).Select(i => (i * 37 % 313) + 6).ToArray();
        float[] expected;
        using (no_grad())
        {
            var logits = model.forward(tensor(tokens.Select(t => (long)t).ToArray(), [1, tokens.Length], ScalarType.Int64));
            expected = logits.reshape(-1).data<float>().ToArray();
        }

        var engine = LlamaModel.FromTensors(ArtifactWriter.ConfigFor(shape), ArtifactWriter.Tensors(model).ToDictionary(t => t.Name));
        using var session = engine.CreateSession();
        var actual = session.ForwardAll(tokens);

        Assert.Equal(expected.Length, actual.Length);
        var maxDifference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(maxDifference <= 1e-4, $"max |torch - engine| = {maxDifference:E3}");
        // And the logits are not trivially equal (e.g. all zero).
        Assert.True(expected.Max() - expected.Min() > 1.0f);
    }

    [Fact]
    public void Engine_decoding_with_its_cache_matches_the_full_forward_pass_of_TorchSharp()
    {
        var shape = new ModelShape(VocabSize: 300, Hidden: 32, Layers: 2, Heads: 4, KvHeads: 2, Intermediate: 64, Context: 32);
        manual_seed(3);
        using var model = new LlamaForCausalLM(shape);
        var tokens = new[] { 0, 1, 17, 42, 99, 250, 7, 3 };
        float[] lastRow;
        using (no_grad())
        {
            var logits = model.forward(tensor(tokens.Select(t => (long)t).ToArray(), [1, tokens.Length], ScalarType.Int64));
            lastRow = logits[0, tokens.Length - 1].data<float>().ToArray();
        }

        var engine = LlamaModel.FromTensors(ArtifactWriter.ConfigFor(shape), ArtifactWriter.Tensors(model).ToDictionary(t => t.Name));
        using var session = engine.CreateSession();
        session.Prefill(tokens.AsSpan(0, 5));
        session.Next(tokens[5]);
        session.Next(tokens[6]);
        var decoded = session.Next(tokens[7]).ToArray();

        Assert.True(lastRow.Zip(decoded, (e, a) => Math.Abs(e - a)).Max() <= 1e-4);
    }
}

using SiteCraft.Ml.LocalModel.Engine;

namespace SiteCraft.Ml.LocalModel.Tests.Engine;

/// <summary>
/// LlamaForCausalLM written out from its definition, in double, straight from the HF tensors: full
/// causal attention recomputed for every position (no cache) and rotate_half spelled out literally.
/// </summary>
internal static class NaiveLlama
{
    public static double[][] Logits(LlamaConfig config, IReadOnlyDictionary<string, SafeTensor> tensors, int[] tokens)
    {
        var hidden = config.HiddenSize;
        var heads = config.NumAttentionHeads;
        var kvHeads = config.KeyValueHeads;
        var headDim = config.HeadDimension;
        var eps = config.RmsNormEps;
        var length = tokens.Length;
        float[] W(string name) => tensors[name].Data;

        var x = tokens.Select(t => Enumerable.Range(0, hidden).Select(i => (double)W("model.embed_tokens.weight")[(t * hidden) + i]).ToArray()).ToArray();
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            var p = $"model.layers.{layer}.";
            var normed = x.Select(v => RmsNorm(v, W(p + "input_layernorm.weight"), eps)).ToArray();
            var q = normed.Select(v => Linear(W(p + "self_attn.q_proj.weight"), v, heads * headDim)).ToArray();
            var k = normed.Select(v => Linear(W(p + "self_attn.k_proj.weight"), v, kvHeads * headDim)).ToArray();
            var v = normed.Select(n => Linear(W(p + "self_attn.v_proj.weight"), n, kvHeads * headDim)).ToArray();
            for (var t = 0; t < length; t++)
            {
                q[t] = RopeAllHeads(q[t], heads, headDim, t, config.RopeTheta);
                k[t] = RopeAllHeads(k[t], kvHeads, headDim, t, config.RopeTheta);
            }

            var attended = new double[length][];
            for (var t = 0; t < length; t++)
            {
                attended[t] = new double[heads * headDim];
                for (var h = 0; h < heads; h++)
                {
                    var kv = h / (heads / kvHeads);
                    var scores = new double[t + 1];
                    for (var s = 0; s <= t; s++)
                    {
                        for (var d = 0; d < headDim; d++)
                        {
                            scores[s] += q[t][(h * headDim) + d] * k[s][(kv * headDim) + d];
                        }

                        scores[s] /= Math.Sqrt(headDim);
                    }

                    var max = scores.Max();
                    var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
                    var sum = exp.Sum();
                    for (var s = 0; s <= t; s++)
                    {
                        for (var d = 0; d < headDim; d++)
                        {
                            attended[t][(h * headDim) + d] += exp[s] / sum * v[s][(kv * headDim) + d];
                        }
                    }
                }
            }

            for (var t = 0; t < length; t++)
            {
                var o = Linear(W(p + "self_attn.o_proj.weight"), attended[t], hidden);
                x[t] = [.. x[t].Zip(o, (a, b) => a + b)];
                var n = RmsNorm(x[t], W(p + "post_attention_layernorm.weight"), eps);
                var gate = Linear(W(p + "mlp.gate_proj.weight"), n, config.IntermediateSize);
                var up = Linear(W(p + "mlp.up_proj.weight"), n, config.IntermediateSize);
                var act = gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray();
                var down = Linear(W(p + "mlp.down_proj.weight"), act, hidden);
                x[t] = [.. x[t].Zip(down, (a, b) => a + b)];
            }
        }

        var head = config.TieWordEmbeddings ? W("model.embed_tokens.weight") : W("lm_head.weight");
        return [.. x.Select(v => Linear(head, RmsNorm(v, W("model.norm.weight"), eps), config.VocabSize))];
    }

    private static double[] RmsNorm(double[] x, float[] weight, double eps)
    {
        var scale = 1 / Math.Sqrt((x.Sum(v => v * v) / x.Length) + eps);
        return [.. x.Select((v, i) => v * scale * weight[i])];
    }

    private static double[] Linear(float[] w, double[] x, int rows)
    {
        var y = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < x.Length; c++)
            {
                y[r] += w[(r * x.Length) + c] * x[c];
            }
        }

        return y;
    }

    private static double[] RopeAllHeads(double[] x, int heads, int headDim, int position, double theta)
    {
        var result = new double[x.Length];
        var half = headDim / 2;
        for (var h = 0; h < heads; h++)
        {
            var head = x.Skip(h * headDim).Take(headDim).ToArray();
            // cos and sin duplicated over both halves; rotate_half(x) = concat(-x[half:], x[:half]).
            var cos = new double[headDim];
            var sin = new double[headDim];
            for (var i = 0; i < half; i++)
            {
                var angle = position * Math.Pow(theta, -2.0 * i / headDim);
                cos[i] = cos[i + half] = Math.Cos(angle);
                sin[i] = sin[i + half] = Math.Sin(angle);
            }

            var rotated = head.Skip(half).Select(v => -v).Concat(head.Take(half)).ToArray();
            for (var d = 0; d < headDim; d++)
            {
                result[(h * headDim) + d] = (head[d] * cos[d]) + (rotated[d] * sin[d]);
            }
        }

        return result;
    }
}

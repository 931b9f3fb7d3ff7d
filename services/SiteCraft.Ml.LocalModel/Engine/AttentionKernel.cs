using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>
/// Causal attention of one new position over the KV cache, for head_dim a multiple of 8. A decode
/// step makes two short dot products per head and cached position; calling TensorPrimitives for
/// each cost about a fifth of the step, so they are inlined here with Vector256.
/// </summary>
internal static unsafe class AttentionKernel
{
    public static bool Supports(int headDim) => Vector256.IsHardwareAccelerated && headDim % 8 == 0;

    /// <summary>
    /// Query heads [heads, headDim] against a layer's key and value caches [positions, kvHeads × headDim]
    /// over the first <paramref name="length"/> positions, into output [heads, headDim]; scores is scratch.
    /// </summary>
    public static void Attend(
        float[] query, float[] keys, float[] values, float[] scores, float[] output,
        int heads, int keyValueHeads, int headDim, int length, float scale)
    {
        var keyValueDim = keyValueHeads * headDim;
        var group = heads / keyValueHeads;
        fixed (float* q = query, k = keys, v = values, s = scores, o = output)
        {
            for (var head = 0; head < heads; head++)
            {
                var qh = q + (head * headDim);
                var kh = k + (head / group * headDim);
                var vh = v + (head / group * headDim);
                for (var t = 0; t < length; t++)
                {
                    var kt = kh + ((long)t * keyValueDim);
                    var sum = Vector256<float>.Zero;
                    for (var j = 0; j < headDim; j += 8)
                    {
                        sum = Vector256.FusedMultiplyAdd(Vector256.Load(qh + j), Vector256.Load(kt + j), sum);
                    }

                    s[t] = Vector256.Sum(sum) * scale;
                }

                var weights = new Span<float>(s, length);
                TensorPrimitives.SoftMax(weights, weights);

                var oh = o + (head * headDim);
                for (var j = 0; j < headDim; j += 8)
                {
                    var sum = Vector256<float>.Zero;
                    var vj = vh + j;
                    for (var t = 0; t < length; t++)
                    {
                        sum = Vector256.FusedMultiplyAdd(Vector256.Create(s[t]), Vector256.Load(vj + ((long)t * keyValueDim)), sum);
                    }

                    sum.Store(oh + j);
                }
            }
        }
    }
}

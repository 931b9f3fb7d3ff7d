namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>
/// One decoder layer laid out for matrix-vector products: row-major [out, in] matrices, with
/// q|k|v fused into one matrix and gate|up into another so each normed input is read once.
/// </summary>
internal sealed record LayerWeights(
    float[] InputNorm,
    float[] QueryKeyValue,
    float[] Output,
    float[] PostAttentionNorm,
    float[] GateUp,
    float[] Down);

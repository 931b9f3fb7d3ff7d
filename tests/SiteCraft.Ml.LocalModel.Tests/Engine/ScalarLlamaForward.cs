using SiteCraft.Ml.LocalModel.Engine;

namespace SiteCraft.Ml.LocalModel.Tests.Engine;

/// <summary>
/// The same Llama forward pass with plain scalar loops (no SIMD, no TensorPrimitives), with its own
/// KV cache: an independent check of the fast kernels, position by position.
/// </summary>
internal sealed class ScalarLlamaForward
{
    private readonly LlamaModel _model;
    private readonly float[] _residual;
    private readonly float[] _normed;
    private readonly float[] _queryKeyValue;
    private readonly float[] _attention;
    private readonly float[] _scores;
    private readonly float[] _gateUp;
    private readonly float[] _activation;
    private readonly float[] _projected;
    private readonly float[] _logits;
    private readonly float[][] _keys;
    private readonly float[][] _values;

    public ScalarLlamaForward(LlamaModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _residual = new float[model.Hidden];
        _normed = new float[model.Hidden];
        _projected = new float[model.Hidden];
        _queryKeyValue = new float[model.QueryDim + (2 * model.KeyValueDim)];
        _attention = new float[model.QueryDim];
        _scores = new float[model.MaxPositions];
        _gateUp = new float[2 * model.Intermediate];
        _activation = new float[model.Intermediate];
        _logits = new float[model.Vocab];
        _keys = new float[model.Layers.Length][];
        _values = new float[model.Layers.Length][];
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = new float[model.MaxPositions * model.KeyValueDim];
            _values[i] = new float[model.MaxPositions * model.KeyValueDim];
        }
    }

    public int Position { get; private set; }

    public void Reset() => Position = 0;

    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens)
    {
        foreach (var token in tokens)
        {
            Next(token);
        }

        return _logits;
    }

    public ReadOnlySpan<float> Next(int token)
    {
        if ((uint)token >= (uint)_model.Vocab)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token, $"token id {token} is outside the vocabulary [0, {_model.Vocab})");
        }

        if (Position >= _model.MaxPositions)
        {
            throw new ContextLengthExceededException(_model.MaxPositions, Position + 1);
        }

        Step(token);
        return _logits;
    }

    public float[] ForwardAll(ReadOnlySpan<int> tokens)
    {
        Reset();
        var all = new float[tokens.Length * _model.Vocab];
        for (var i = 0; i < tokens.Length; i++)
        {
            Next(tokens[i]).CopyTo(all.AsSpan(i * _model.Vocab));
        }

        return all;
    }

    private void Step(int token)
    {
        var m = _model;
        var position = Position;
        var hidden = m.Hidden;
        for (var i = 0; i < hidden; i++)
        {
            _residual[i] = m.Embedding[(token * hidden) + i];
        }

        for (var layer = 0; layer < m.Layers.Length; layer++)
        {
            var weights = m.Layers[layer];
            RmsNorm(_residual, weights.InputNorm, _normed, m.Epsilon);
            Multiply(weights.QueryKeyValue, _normed, _queryKeyValue, _queryKeyValue.Length, hidden);
            Rope(0, m.Heads, position);
            Rope(m.QueryDim, m.KeyValueHeads, position);
            for (var i = 0; i < m.KeyValueDim; i++)
            {
                _keys[layer][(position * m.KeyValueDim) + i] = _queryKeyValue[m.QueryDim + i];
                _values[layer][(position * m.KeyValueDim) + i] = _queryKeyValue[m.QueryDim + m.KeyValueDim + i];
            }

            Attend(layer, position);
            Multiply(weights.Output, _attention, _projected, hidden, m.QueryDim);
            for (var i = 0; i < hidden; i++)
            {
                _residual[i] += _projected[i];
            }

            RmsNorm(_residual, weights.PostAttentionNorm, _normed, m.Epsilon);
            Multiply(weights.GateUp, _normed, _gateUp, _gateUp.Length, hidden);
            for (var i = 0; i < m.Intermediate; i++)
            {
                var gate = _gateUp[i];
                _activation[i] = gate / (1f + MathF.Exp(-gate)) * _gateUp[m.Intermediate + i];
            }

            Multiply(weights.Down, _activation, _projected, hidden, m.Intermediate);
            for (var i = 0; i < hidden; i++)
            {
                _residual[i] += _projected[i];
            }
        }

        RmsNorm(_residual, m.FinalNormWeight, _normed, m.Epsilon);
        Multiply(m.LmHeadWeight, _normed, _logits, m.Vocab, hidden);
        Position = position + 1;
    }

    private void Attend(int layer, int position)
    {
        var m = _model;
        var headDim = m.HeadDim;
        var group = m.Heads / m.KeyValueHeads;
        var scale = 1f / MathF.Sqrt(headDim);
        var keys = _keys[layer];
        var values = _values[layer];
        for (var head = 0; head < m.Heads; head++)
        {
            var kvOffset = head / group * headDim;
            var max = float.NegativeInfinity;
            for (var t = 0; t <= position; t++)
            {
                var sum = 0f;
                for (var d = 0; d < headDim; d++)
                {
                    sum += _queryKeyValue[(head * headDim) + d] * keys[(t * m.KeyValueDim) + kvOffset + d];
                }

                _scores[t] = sum * scale;
                max = Math.Max(max, _scores[t]);
            }

            var total = 0f;
            for (var t = 0; t <= position; t++)
            {
                _scores[t] = MathF.Exp(_scores[t] - max);
                total += _scores[t];
            }

            for (var d = 0; d < headDim; d++)
            {
                var sum = 0f;
                for (var t = 0; t <= position; t++)
                {
                    sum += _scores[t] * values[(t * m.KeyValueDim) + kvOffset + d];
                }

                _attention[(head * headDim) + d] = sum / total;
            }
        }
    }

    private void Rope(int offset, int heads, int position)
    {
        var headDim = _model.HeadDim;
        var half = headDim / 2;
        for (var head = 0; head < heads; head++)
        {
            var start = offset + (head * headDim);
            for (var i = 0; i < half; i++)
            {
                var cos = _model.RopeCos[(position * half) + i];
                var sin = _model.RopeSin[(position * half) + i];
                var a = _queryKeyValue[start + i];
                var b = _queryKeyValue[start + half + i];
                _queryKeyValue[start + i] = (a * cos) - (b * sin);
                _queryKeyValue[start + half + i] = (b * cos) + (a * sin);
            }
        }
    }

    private static void RmsNorm(float[] x, float[] weight, float[] output, float epsilon)
    {
        var sum = 0f;
        for (var i = 0; i < x.Length; i++)
        {
            sum += x[i] * x[i];
        }

        var scale = 1f / MathF.Sqrt((sum / x.Length) + epsilon);
        for (var i = 0; i < x.Length; i++)
        {
            output[i] = x[i] * scale * weight[i];
        }
    }

    private static void Multiply(float[] w, float[] x, float[] y, int rows, int columns)
    {
        for (var r = 0; r < rows; r++)
        {
            var sum = 0f;
            var offset = r * columns;
            for (var c = 0; c < columns; c++)
            {
                sum += w[offset + c] * x[c];
            }

            y[r] = sum;
        }
    }
}

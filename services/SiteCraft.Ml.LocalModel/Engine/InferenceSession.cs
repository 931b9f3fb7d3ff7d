using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>
/// One sequence over a <see cref="LlamaModel"/>: its KV cache and work buffers, allocated once, so a
/// decode step allocates nothing. Not thread-safe; one session per sequence.
/// </summary>
public sealed class InferenceSession : IDisposable
{
    // The KV cache grows by this many positions, so a short chat on a long-context model stays small.
    private const int CacheChunk = 256;

    private readonly LlamaModel _model;
    private readonly RowParallelizer? _parallel;
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
    private readonly float _scale;
    private int _capacity;

    internal InferenceSession(LlamaModel model)
    {
        _model = model;
        _parallel = model.Options.Threads > 1 ? new RowParallelizer(model.Options.Threads) : null;
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
        _capacity = Math.Min(CacheChunk, model.MaxPositions);
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = new float[_capacity * model.KeyValueDim];
            _values[i] = new float[_capacity * model.KeyValueDim];
        }

        _scale = 1f / MathF.Sqrt(model.HeadDim);
    }

    /// <summary>Tokens in the KV cache; the next token goes at this position.</summary>
    public int Position { get; private set; }

    public LlamaModel Model => _model;

    /// <summary>Appends the tokens and returns the logits after the last one (vocab_size values, valid until the next call).</summary>
    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("prefill needs at least one token", nameof(tokens));
        }

        CheckTokens(tokens);
        for (var i = 0; i < tokens.Length; i++)
        {
            // Only the last position's logits are wanted; the LM head is a quarter of a small model's work.
            Step(tokens[i], computeLogits: i == tokens.Length - 1);
        }

        return _logits;
    }

    /// <summary>Appends one token and returns the logits of the next (vocab_size values, valid until the next call).</summary>
    public ReadOnlySpan<float> Next(int token)
    {
        CheckToken(token);
        CheckRoom(1);
        Step(token, computeLogits: true);
        return _logits;
    }

    /// <summary>Logits for every position of <paramref name="tokens"/> from an empty cache, [T, vocab_size] row-major.</summary>
    public float[] ForwardAll(ReadOnlySpan<int> tokens)
    {
        Reset();
        CheckTokens(tokens);
        var all = new float[tokens.Length * _model.Vocab];
        for (var i = 0; i < tokens.Length; i++)
        {
            Step(tokens[i], computeLogits: true);
            _logits.CopyTo(all, i * _model.Vocab);
        }

        return all;
    }

    /// <summary>Empties the KV cache; the buffers are kept.</summary>
    public void Reset() => Position = 0;

    public void Dispose() => _parallel?.Dispose();

    private void CheckTokens(ReadOnlySpan<int> tokens)
    {
        foreach (var token in tokens)
        {
            CheckToken(token);
        }

        CheckRoom(tokens.Length);
    }

    private void CheckToken(int token)
    {
        if ((uint)token >= (uint)_model.Vocab)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token, $"token id {token} is outside the vocabulary [0, {_model.Vocab})");
        }
    }

    private void CheckRoom(int count)
    {
        if (Position + count > _model.MaxPositions)
        {
            throw new ContextLengthExceededException(_model.MaxPositions, Position + count);
        }
    }

    private void Step(int token, bool computeLogits)
    {
        var model = _model;
        var position = Position;
        EnsureCapacity(position + 1);
        var hidden = model.Hidden;
        model.Embedding.AsSpan(token * hidden, hidden).CopyTo(_residual);

        var queryDim = model.QueryDim;
        var keyValueDim = model.KeyValueDim;
        for (var layer = 0; layer < model.Layers.Length; layer++)
        {
            var weights = model.Layers[layer];
            RmsNorm(_residual, weights.InputNorm, _normed, model.Epsilon);
            Multiply(weights.QueryKeyValue, _normed, _queryKeyValue, _queryKeyValue.Length, hidden);

            var query = _queryKeyValue.AsSpan(0, queryDim);
            var key = _queryKeyValue.AsSpan(queryDim, keyValueDim);
            ApplyRope(query, model.Heads, position);
            ApplyRope(key, model.KeyValueHeads, position);
            key.CopyTo(_keys[layer].AsSpan(position * keyValueDim));
            _queryKeyValue.AsSpan(queryDim + keyValueDim, keyValueDim).CopyTo(_values[layer].AsSpan(position * keyValueDim));

            Attend(layer, position);
            Multiply(weights.Output, _attention, _projected, hidden, queryDim);
            TensorPrimitives.Add(_residual, _projected, _residual);

            RmsNorm(_residual, weights.PostAttentionNorm, _normed, model.Epsilon);
            Multiply(weights.GateUp, _normed, _gateUp, _gateUp.Length, hidden);
            SwiGlu(_gateUp, _activation);
            Multiply(weights.Down, _activation, _projected, hidden, model.Intermediate);
            TensorPrimitives.Add(_residual, _projected, _residual);
        }

        Position = position + 1;
        if (computeLogits)
        {
            RmsNorm(_residual, model.FinalNormWeight, _normed, model.Epsilon);
            Multiply(model.LmHeadWeight, _normed, _logits, model.Vocab, hidden);
        }
    }

    private void Multiply(float[] w, float[] x, float[] y, int rows, int columns)
    {
        if (_parallel is null)
        {
            MatrixVector.Multiply(w, x, y, rows, columns);
        }
        else
        {
            _parallel.Multiply(w, x, y, rows, columns);
        }
    }

    private void Attend(int layer, int position)
    {
        var model = _model;
        if (AttentionKernel.Supports(model.HeadDim))
        {
            AttentionKernel.Attend(_queryKeyValue, _keys[layer], _values[layer], _scores, _attention, model.Heads, model.KeyValueHeads, model.HeadDim, position + 1, _scale);
            return;
        }

        var headDim = model.HeadDim;
        var keyValueDim = model.KeyValueDim;
        var group = model.Heads / model.KeyValueHeads;
        var length = position + 1;
        var scores = _scores.AsSpan(0, length);
        ref var keys = ref MemoryMarshal.GetArrayDataReference(_keys[layer]);
        ref var values = ref MemoryMarshal.GetArrayDataReference(_values[layer]);
        for (var head = 0; head < model.Heads; head++)
        {
            var kvOffset = head / group * headDim;
            var query = new ReadOnlySpan<float>(_queryKeyValue, head * headDim, headDim);
            for (var t = 0; t < length; t++)
            {
                var key = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref keys, (t * keyValueDim) + kvOffset), headDim);
                scores[t] = TensorPrimitives.Dot(query, key) * _scale;
            }

            TensorPrimitives.SoftMax(scores, scores);
            var output = _attention.AsSpan(head * headDim, headDim);
            output.Clear();
            for (var t = 0; t < length; t++)
            {
                var value = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref values, (t * keyValueDim) + kvOffset), headDim);
                TensorPrimitives.MultiplyAdd(value, scores[t], output, output);
            }
        }
    }

    /// <summary>HF rotate_half: x·cos + rotate_half(x)·sin, with rotate_half(x) = concat(−x[half:], x[:half]).</summary>
    private void ApplyRope(Span<float> vectors, int heads, int position)
    {
        var headDim = _model.HeadDim;
        var half = headDim / 2;
        var cos = _model.RopeCos.AsSpan(position * half, half);
        var sin = _model.RopeSin.AsSpan(position * half, half);
        for (var head = 0; head < heads; head++)
        {
            var vector = vectors.Slice(head * headDim, headDim);
            var first = vector[..half];
            var second = vector[half..];
            for (var i = 0; i < half; i++)
            {
                var a = first[i];
                var b = second[i];
                first[i] = (a * cos[i]) - (b * sin[i]);
                second[i] = (b * cos[i]) + (a * sin[i]);
            }
        }
    }

    private static void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> output, float epsilon)
    {
        var meanSquare = TensorPrimitives.SumOfSquares(x) / x.Length;
        var scale = 1f / MathF.Sqrt(meanSquare + epsilon);
        TensorPrimitives.Multiply(x, scale, output);
        TensorPrimitives.Multiply(output, weight, output);
    }

    /// <summary>silu(gate) · up, over gate|up as the fused projection lays them out.</summary>
    private static void SwiGlu(float[] gateUp, float[] output)
    {
        var size = output.Length;
        var gate = gateUp.AsSpan(0, size);
        var up = gateUp.AsSpan(size, size);
        TensorPrimitives.Sigmoid(gate, output);
        TensorPrimitives.Multiply(output, gate, output);
        TensorPrimitives.Multiply(output, up, output);
    }

    private void EnsureCapacity(int positions)
    {
        if (positions <= _capacity)
        {
            return;
        }

        var capacity = Math.Min(_model.MaxPositions, Math.Max(positions, _capacity + CacheChunk));
        for (var i = 0; i < _keys.Length; i++)
        {
            Array.Resize(ref _keys[i], capacity * _model.KeyValueDim);
            Array.Resize(ref _values[i], capacity * _model.KeyValueDim);
        }

        _capacity = capacity;
    }
}

namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>
/// Chooses the next token from logits: greedy argmax at temperature 0 (lowest id on ties), otherwise
/// temperature, then top-k, then top-p (nucleus), drawing from a PRNG seeded by the options.
/// Keeps its buffers between calls; one per sequence.
/// </summary>
public sealed class Sampler
{
    private readonly SamplingOptions _options;
    private SplitMix64 _random;
    private float[] _probabilities = [];
    private int[] _candidates = [];
    private float[] _keys = [];

    public Sampler(SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _random = new SplitMix64((ulong)(options.Seed ?? Random.Shared.NextInt64()));
    }

    public int Next(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("logits are empty", nameof(logits));
        }

        if (_options.Temperature == 0)
        {
            return ArgMax(logits);
        }

        if (_probabilities.Length < logits.Length)
        {
            _probabilities = new float[logits.Length];
            _candidates = new int[logits.Length];
            _keys = new float[logits.Length];
        }

        // Softmax of logits / temperature, in double for the sum so a large vocabulary does not drift.
        var max = logits[ArgMax(logits)];
        var inverse = 1f / _options.Temperature;
        double total = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var p = MathF.Exp((logits[i] - max) * inverse);
            _probabilities[i] = p;
            total += p;
        }

        var norm = (float)(1 / total);
        var topK = _options.TopK;
        var topP = _options.TopP;
        if (topK == 0 && topP >= 1)
        {
            return Draw(logits.Length, norm);
        }

        // Tokens below (1 − top_p) / V together weigh less than 1 − top_p, so the nucleus is among the rest:
        // only those are sorted.
        var threshold = topK == 0 ? (1 - topP) / logits.Length / norm : 0;
        var count = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            if (_probabilities[i] >= threshold)
            {
                _candidates[count] = i;
                _keys[count] = -_probabilities[i];
                count++;
            }
        }

        // Stable order: probability descending, then id ascending.
        Array.Sort(_keys, _candidates, 0, count);
        SortTiesById(count);
        if (topK > 0)
        {
            count = Math.Min(count, topK);
        }

        var kept = 0f;
        for (var i = 0; i < count; i++)
        {
            kept += -_keys[i];
        }

        if (topP < 1)
        {
            // Top-p applies to what top-k kept, renormalized; without top-k, to the whole distribution.
            var target = topP * (topK > 0 ? kept : 1 / norm);
            var cumulative = 0f;
            var nucleus = 0;
            while (nucleus < count)
            {
                cumulative += -_keys[nucleus];
                nucleus++;
                if (cumulative >= target)
                {
                    break;
                }
            }

            count = nucleus;
            kept = cumulative;
        }

        var u = (float)_random.NextDouble() * kept;
        var running = 0f;
        for (var i = 0; i < count; i++)
        {
            running += -_keys[i];
            if (u < running)
            {
                return _candidates[i];
            }
        }

        return _candidates[count - 1];
    }

    private int Draw(int length, float norm)
    {
        var u = (float)_random.NextDouble();
        var running = 0f;
        for (var i = 0; i < length; i++)
        {
            running += _probabilities[i] * norm;
            if (u < running)
            {
                return i;
            }
        }

        // Rounding left the sum just under 1: the last token with any probability.
        for (var i = length - 1; i > 0; i--)
        {
            if (_probabilities[i] > 0)
            {
                return i;
            }
        }

        return 0;
    }

    private void SortTiesById(int count)
    {
        var start = 0;
        while (start < count)
        {
            var end = start + 1;
            while (end < count && _keys[end] == _keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(_candidates, start, end - start);
            }

            start = end;
        }
    }

    /// <summary>The first index of the largest value, so ties go to the lowest id.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        var bestValue = values[0];
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > bestValue)
            {
                best = i;
                bestValue = values[i];
            }
        }

        return best;
    }
}

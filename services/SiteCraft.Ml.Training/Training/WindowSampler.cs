namespace SiteCraft.Ml.Training.Training;

/// <summary>
/// Where each training window starts: a pure function of (seed, step, row), so a resumed run
/// reads exactly the windows the uninterrupted run would have (no sampler state to save).
/// </summary>
internal static class WindowSampler
{
    public static long[] Batch(int seed, int step, int batchSize, int sequenceLength, int[] stream)
    {
        var span = stream.Length - sequenceLength - 1;
        if (span <= 0)
        {
            throw new Data.TrainingInputException($"the training split has {stream.Length} tokens, fewer than one window of {sequenceLength + 1}; generate more data or lower --seq-len");
        }

        var tokens = new long[batchSize * (sequenceLength + 1)];
        for (var row = 0; row < batchSize; row++)
        {
            var start = (int)(Mix(((ulong)(uint)seed << 40) ^ ((ulong)(uint)step << 12) ^ (uint)row) % (ulong)span);
            for (var t = 0; t <= sequenceLength; t++)
            {
                tokens[(row * (sequenceLength + 1)) + t] = stream[start + t];
            }
        }

        return tokens;
    }

    /// <summary>Fixed, evenly spaced validation windows (the same at every evaluation).</summary>
    public static long[] Validation(int windows, int sequenceLength, int[] stream, out int count)
    {
        var available = (stream.Length - 1) / (sequenceLength + 1);
        count = Math.Min(windows, available);
        var tokens = new long[count * (sequenceLength + 1)];
        if (count == 0)
        {
            return tokens;
        }

        var stride = (stream.Length - sequenceLength - 1) / count;
        for (var w = 0; w < count; w++)
        {
            for (var t = 0; t <= sequenceLength; t++)
            {
                tokens[(w * (sequenceLength + 1)) + t] = stream[(w * stride) + t];
            }
        }

        return tokens;
    }

    /// <summary>SplitMix64's finaliser.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}

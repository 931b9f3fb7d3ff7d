namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>
/// A small deterministic PRNG (SplitMix64), so a seed gives the same weights and the same samples on
/// every platform and runtime version, which System.Random does not promise.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal by Box–Muller.</summary>
    public float NextGaussian()
    {
        var u = 1.0 - NextDouble();
        var v = NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v));
    }
}

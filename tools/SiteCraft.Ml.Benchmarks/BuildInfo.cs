namespace SiteCraft.Ml.Benchmarks;

public static class BuildInfo
{
    /// <summary>Figures from a Debug build say little; the report names the build it came from.</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif
}

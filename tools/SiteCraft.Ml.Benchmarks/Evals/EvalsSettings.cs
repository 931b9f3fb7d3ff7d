namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>How the in-process evals benchmark runs, from the command line.</summary>
public sealed record EvalsSettings(int Samples, int Repetitions, int Seed, DirectoryInfo Suites, FileInfo? Output)
{
    /// <summary>The suites shipped beside the program (docs/evals/suites), as the eval service ships them.</summary>
    public static string DefaultSuites => Path.Combine(AppContext.BaseDirectory, "evals", "suites");
}

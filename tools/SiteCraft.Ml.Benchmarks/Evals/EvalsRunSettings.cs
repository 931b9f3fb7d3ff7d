namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>How the eval-run benchmark runs, from the command line.</summary>
/// <param name="Suites">The suites to run, in order.</param>
/// <param name="CacheSuite">The suite run a second time, identically, to measure the response cache.</param>
/// <param name="Concurrent">Start every suite at once instead of one after another.</param>
/// <param name="Environment">The routing environment whose provider answers.</param>
/// <param name="Provider">The pinned provider.</param>
/// <param name="Model">The pinned model.</param>
/// <param name="Limit">Only the first N cases of each suite; 0 runs them all.</param>
/// <param name="RunTimeout">The longest one run may take before the benchmark gives up.</param>
/// <param name="Output">Also write the report here.</param>
public sealed record EvalsRunSettings(
    IReadOnlyList<string> Suites,
    string CacheSuite,
    bool Concurrent,
    string Environment,
    string Provider,
    string Model,
    int Limit,
    TimeSpan RunTimeout,
    FileInfo? Output);

namespace SiteCraft.Ml.Benchmarks.Contracts;

/// <summary>How the contracts benchmark runs, from the command line.</summary>
public sealed record ContractsSettings(int Records, int Repetitions, int Seed, FileInfo? Output);

namespace SiteCraft.Ml.Benchmarks.LocalModel;

/// <summary>How the local model benchmark runs, from the command line.</summary>
public sealed record LocalModelSettings(
    DirectoryInfo? ModelDirectory,
    int Vocab,
    int Hidden,
    int Layers,
    int Heads,
    int KeyValueHeads,
    int HeadDim,
    int Intermediate,
    int Context,
    int PromptTokens,
    int NewTokens,
    int PrefillTokens,
    int Repetitions,
    FileInfo? Output);

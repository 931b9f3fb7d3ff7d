namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>MinHash LSH: <see cref="Bands"/> × <see cref="Rows"/> = <see cref="Permutations"/>.</summary>
public sealed record MinHashSettings(
    IReadOnlyList<string> Fields,
    ShingleUnit Unit,
    int ShingleSize,
    int Permutations,
    int Bands,
    int Rows,
    double JaccardThreshold,
    double ConfirmThreshold,
    ulong Seed);

namespace SiteCraft.Ml.LocalModel.Tokenization;

/// <summary>A BPE merge: tokens <paramref name="Left"/> and <paramref name="Right"/> join into <paramref name="Result"/>.</summary>
internal readonly record struct BpeMerge(int Left, int Right, int Result);

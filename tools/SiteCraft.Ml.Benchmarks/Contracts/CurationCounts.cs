namespace SiteCraft.Ml.Benchmarks.Contracts;

/// <summary>
/// Where the records of one curation pass ended (every record has exactly one outcome), and the
/// rules that quarantined them: a record may count under several.
/// </summary>
public sealed record CurationCounts(int Accepted, int Quarantined, int ExactDuplicates, int NearDuplicates, IReadOnlyDictionary<string, int> QuarantineReasons)
{
    public int Total => Accepted + Quarantined + ExactDuplicates + NearDuplicates;
}

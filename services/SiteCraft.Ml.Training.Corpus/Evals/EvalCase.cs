namespace SiteCraft.Ml.Training.Corpus.Evals;

/// <summary>One case of a suite: a held-out brief's user prompt and the corpus writers' reference completion.</summary>
public sealed record EvalCase(
    string Id,
    BusinessBrief Brief,
    string? Section,
    IReadOnlyList<string> Tags,
    string Input,
    string Expected,
    IReadOnlyList<EvalAssertion> Assertions)
{
    /// <summary>Cases written from the same brief share a cluster, so their errors are not counted as independent.</summary>
    public string Cluster => Brief.Id;
}

namespace SiteCraft.Ml.Training.Corpus.Evals;

/// <summary>A suite as <see cref="EvalSuiteWriter"/> writes it: the file's header fields, defaults, assertions and cases.</summary>
public sealed record EvalSuite(
    string Id,
    string UseCase,
    string Name,
    string Description,
    int Seed,
    double PassThreshold,
    string System,
    int MaxTokens,
    bool JsonOutput,
    IReadOnlyList<EvalAssertion> Assertions,
    IReadOnlyList<EvalCase> Cases)
{
    public string FileName => $"{Id}.yaml";
}

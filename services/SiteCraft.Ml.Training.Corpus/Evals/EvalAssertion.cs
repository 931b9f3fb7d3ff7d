namespace SiteCraft.Ml.Training.Corpus.Evals;

/// <summary>One assertion of a suite file (see docs/evals/README.md); fields left null are not written.</summary>
public sealed record EvalAssertion(string Type)
{
    public string? Name { get; init; }

    public string? Path { get; init; }

    public string? Schema { get; init; }

    public string? Value { get; init; }

    public int? Min { get; init; }

    public int? Max { get; init; }

    public double? Threshold { get; init; }

    public double? Weight { get; init; }
}

namespace SiteCraft.Ml.Evals.Data;

/// <summary>A request the eval plane refuses before any work, naming the field and what is wrong.</summary>
public sealed class EvalRequestException(string field, string problem, EvalRequestError error = EvalRequestError.Invalid)
    : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;

    public string Problem { get; } = problem;

    public EvalRequestError Error { get; } = error;
}

public enum EvalRequestError
{
    /// <summary>The request is malformed or names an unknown target (INVALID_ARGUMENT, CLI exit 2).</summary>
    Invalid,

    /// <summary>No such suite or run (NOT_FOUND).</summary>
    NotFound,

    /// <summary>The run is not in a state that allows this (FAILED_PRECONDITION).</summary>
    Precondition,
}

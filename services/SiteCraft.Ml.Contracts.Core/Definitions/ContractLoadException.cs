namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>A contract file that cannot be used; the message names every problem with its file, line and column.</summary>
public sealed class ContractLoadException : Exception
{
    public ContractLoadException(IReadOnlyList<ContractError> errors)
        : base(Describe(errors)) => Errors = errors;

    public ContractLoadException()
        : this([])
    {
    }

    public ContractLoadException(string message)
        : base(message) => Errors = [];

    public ContractLoadException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    public IReadOnlyList<ContractError> Errors { get; }

    private static string Describe(IReadOnlyList<ContractError> errors) => errors.Count switch
    {
        0 => "The data contract is invalid.",
        1 => errors[0].ToString(),
        _ => $"{errors.Count} problems in the data contract:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}",
    };
}

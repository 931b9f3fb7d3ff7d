namespace SiteCraft.Ml.Evals.Core.Gates;

/// <summary>A gate policy file is invalid; <see cref="Errors"/> holds every problem as "file:line: reason".</summary>
public sealed class GatePolicyException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

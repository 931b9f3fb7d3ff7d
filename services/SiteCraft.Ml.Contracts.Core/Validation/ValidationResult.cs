namespace SiteCraft.Ml.Contracts.Core.Validation;

/// <summary>Every violation found in one record; empty when the record keeps its contract.</summary>
public sealed class ValidationResult
{
    public static ValidationResult Valid { get; } = new([]);

    public ValidationResult(IReadOnlyList<Violation> violations) => Violations = violations;

    public IReadOnlyList<Violation> Violations { get; }

    public bool IsValid => Violations.Count == 0;
}

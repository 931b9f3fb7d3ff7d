namespace SiteCraft.Ml.Contracts.Core.Validation;

/// <summary>
/// One way a record breaks its contract.
/// </summary>
/// <param name="Path">Where: <c>$</c> for the record as a whole, else a field path such as <c>messages[2].content</c>.</param>
/// <param name="Rule">Which rule: <c>required</c>, <c>type</c>, <c>maxLength</c>, <c>validValues</c>, <c>encoding.utf8</c>, …</param>
/// <param name="Message">What is wrong, in a sentence.</param>
/// <param name="Excerpt">The start of the offending value (at most 80 characters), or null when there is none.</param>
public sealed record Violation(string Path, string Rule, string Message, string? Excerpt)
{
    public override string ToString() => Excerpt is null ? $"{Path}: {Rule}: {Message}" : $"{Path}: {Rule}: {Message} (value: {Excerpt})";
}

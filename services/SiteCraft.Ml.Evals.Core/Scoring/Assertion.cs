namespace SiteCraft.Ml.Evals.Core.Scoring;

/// <summary>
/// One check of a sample's output, as a suite file states it. <see cref="Type"/> is one of
/// <see cref="AssertionScorer.Types"/>, optionally prefixed with <c>not-</c> to negate it.
/// </summary>
/// <remarks>
/// Value is the expected text, substring or pattern; Values the list for contains-any/all;
/// Min and Max bound a length in characters; Schema is a JSON Schema for json-schema; Threshold
/// is the score at or above which a graded assertion (similarity) passes; Weight counts it in
/// the sample's weighted score.
/// </remarks>
public sealed record Assertion(
    string Type,
    string? Value = null,
    IReadOnlyList<string>? Values = null,
    int? Min = null,
    int? Max = null,
    string? Schema = null,
    double Threshold = 1.0,
    double Weight = 1.0);

namespace SiteCraft.Ml.Evals.Core.Scoring;

/// <summary>
/// One check of a sample's output, as a suite file states it. <see cref="Type"/> is one of
/// <see cref="AssertionScorer.Types"/>, optionally prefixed with <c>not-</c> to negate it.
/// </summary>
/// <remarks>
/// Value is the expected text, substring or pattern; Values the list for contains-any/all;
/// Min and Max bound a length in characters; Schema is a JSON Schema for json-schema; Threshold
/// is the score at or above which a graded assertion (similarity, judge) passes; Weight counts it
/// in the sample's weighted score (0 records it without counting). Name keys its result in a
/// sample's scores (see <see cref="AssertionNames"/>); Path is a JSON Pointer into the output to
/// score instead of the whole output; MaxMs and MaxUsd bound latency and cost; Rubric and Judge
/// (provider/model) drive an llm-judge.
/// </remarks>
public sealed record Assertion(
    string Type,
    string? Value = null,
    IReadOnlyList<string>? Values = null,
    int? Min = null,
    int? Max = null,
    string? Schema = null,
    double Threshold = 1.0,
    double Weight = 1.0,
    string? Name = null,
    string? Path = null,
    double? MaxMs = null,
    decimal? MaxUsd = null,
    string? Rubric = null,
    string? Judge = null);

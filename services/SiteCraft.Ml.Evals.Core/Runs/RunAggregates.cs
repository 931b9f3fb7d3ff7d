using System.Text.Json;

namespace SiteCraft.Ml.Evals.Core.Runs;

/// <summary>
/// What a run amounts to (ai_eval_runs.aggregates). Rates over judged samples are null when no
/// sample was judged (an all-error run), never NaN, so the JSON stays valid and honest.
/// </summary>
/// <param name="SampleCount">Every sample, errored or not.</param>
/// <param name="ErrorCount">Samples that errored.</param>
/// <param name="JudgedCount">Samples with a pass/fail verdict (the ones that did not error).</param>
/// <param name="CachedCount">Samples answered from the response cache.</param>
/// <param name="CaseCount">Distinct cases.</param>
/// <param name="PassRate">Passes among judged samples, or null when none was judged.</param>
/// <param name="MeanScore">The mean score of the scored samples, or null when none was scored.</param>
/// <param name="AssertionPassRates">Each assertion's pass rate over the judged samples that ran it, by name.</param>
/// <param name="ErrorRate">Errors / samples, or null for a run without samples.</param>
/// <param name="P50LatencyMs">Median latency of the samples not served from the cache (percentile_cont).</param>
/// <param name="P95LatencyMs">95th percentile latency, likewise.</param>
/// <param name="TotalCostUsd">What the run's generations cost.</param>
/// <param name="InputTokens">Prompt tokens over all samples.</param>
/// <param name="OutputTokens">Completion tokens over all samples.</param>
/// <param name="WithinCaseVariance">Mean over cases with two or more scored repeats of the sample variance of their scores.</param>
/// <param name="FlakyCases">Cases whose judged repeats disagree on pass/fail, in ordinal order.</param>
/// <param name="PassThreshold">The suite's pass threshold.</param>
/// <param name="SuitePassed">The pass rate reaches the threshold (false when nothing was judged).</param>
public sealed record RunAggregates(
    int SampleCount,
    int ErrorCount,
    int JudgedCount,
    int CachedCount,
    int CaseCount,
    RateSummary? PassRate,
    ScoreSummary? MeanScore,
    IReadOnlyDictionary<string, RateSummary> AssertionPassRates,
    double? ErrorRate,
    double? P50LatencyMs,
    double? P95LatencyMs,
    decimal TotalCostUsd,
    long InputTokens,
    long OutputTokens,
    double? WithinCaseVariance,
    IReadOnlyList<string> FlakyCases,
    double PassThreshold,
    bool SuitePassed)
{
    /// <summary>The aggregates as a snake_case JSON object.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SnakeCaseJson.Options);

    /// <summary>Reads what <see cref="ToJson"/> wrote, assertions in ordinal order again (jsonb reorders keys).</summary>
    public static RunAggregates FromJson(string json) =>
        Normalized(JsonSerializer.Deserialize<RunAggregates>(json, SnakeCaseJson.Options));

    internal static RunAggregates Normalized(RunAggregates? aggregates) =>
        aggregates is null
            ? throw new JsonException("the aggregates are null")
            : aggregates with { AssertionPassRates = new SortedDictionary<string, RateSummary>(aggregates.AssertionPassRates.ToDictionary(), StringComparer.Ordinal) };

    /// <summary>Writes the aggregates as a JSON object into a writer that is mid-document.</summary>
    internal void WriteTo(Utf8JsonWriter writer) => JsonSerializer.Serialize(writer, this, SnakeCaseJson.Options);
}

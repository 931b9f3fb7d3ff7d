namespace SiteCraft.Ml.Evals.Data;

/// <summary>What one generation call gave: the text and its measurements, or the error that stopped it.</summary>
/// <param name="Text">The output; null when the call failed.</param>
/// <param name="Error">"CODE: message" when the call failed.</param>
/// <param name="Provider">The provider that answered.</param>
/// <param name="Model">The model that answered.</param>
/// <param name="PolicyVersion">The policy version that routed it (policy targets).</param>
/// <param name="FinishReason">stop, length, ...</param>
/// <param name="LatencyMs">The whole call, as the inference service measured it.</param>
/// <param name="CostUsd">What it cost.</param>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Completion tokens.</param>
/// <param name="Fatal">The failure will not go away for any other sample (no admin token): stop the run.</param>
public sealed record GenerationOutcome(
    string? Text,
    string? Error,
    string? Provider = null,
    string? Model = null,
    int? PolicyVersion = null,
    string? FinishReason = null,
    double? LatencyMs = null,
    decimal? CostUsd = null,
    int? InputTokens = null,
    int? OutputTokens = null,
    bool Fatal = false)
{
    public bool Succeeded => Text is not null;

    public static GenerationOutcome Failed(string error, bool fatal = false) => new(null, error, Fatal: fatal);
}

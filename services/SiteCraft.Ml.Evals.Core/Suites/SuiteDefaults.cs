using System.Text.Json.Nodes;

namespace SiteCraft.Ml.Evals.Core.Suites;

/// <summary>The generation parameters every case of a suite runs with; null leaves the provider's default.</summary>
/// <param name="System">System instructions.</param>
/// <param name="MaxTokens">The most tokens to generate.</param>
/// <param name="Temperature">Sampling temperature, 0..2.</param>
/// <param name="TopP">Nucleus sampling mass, (0, 1].</param>
/// <param name="Seed">A seed for providers that honour one.</param>
/// <param name="ResponseFormat">text or json; when the file says nothing, the use case's format.</param>
/// <param name="JsonSchema">The schema text sent with json (the catalog's, resolved, or inline); null for none.</param>
/// <param name="Repeats">Samples per case (K), 1..20.</param>
public sealed record SuiteDefaults(
    string? System,
    int? MaxTokens,
    double? Temperature,
    double? TopP,
    long? Seed,
    string ResponseFormat,
    string? JsonSchema,
    int Repeats)
{
    /// <summary>The defaults with the suite file's key names.</summary>
    public JsonObject ToJson() => new()
    {
        ["system"] = System,
        ["max_tokens"] = MaxTokens,
        ["temperature"] = Temperature,
        ["top_p"] = TopP,
        ["seed"] = Seed,
        ["response_format"] = ResponseFormat,
        ["json_schema"] = JsonSchema,
        ["repeats"] = Repeats,
    };
}

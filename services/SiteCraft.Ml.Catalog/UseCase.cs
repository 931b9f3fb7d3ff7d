namespace SiteCraft.Ml.Catalog;

/// <summary>What the product app asks the platform to generate. The id is the routing key.</summary>
/// <param name="Id">Routing key, e.g. site.page.json.</param>
/// <param name="Title">A short human name.</param>
/// <param name="Description">What the output is and what it is used for.</param>
/// <param name="Format">The response format the product app expects.</param>
/// <param name="JsonSchema">The JSON Schema (2020-12) the output must validate against, for JSON use cases.</param>
/// <param name="Limits">Hard limits the product enforces, by name (e.g. title_max_chars).</param>
public sealed record UseCase(
    string Id,
    string Title,
    string Description,
    UseCaseFormat Format,
    string? JsonSchema,
    IReadOnlyDictionary<string, int> Limits);

public enum UseCaseFormat
{
    Text,
    Json,
}

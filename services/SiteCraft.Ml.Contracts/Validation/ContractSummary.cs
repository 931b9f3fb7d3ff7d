using System.Text.Json.Serialization;

namespace SiteCraft.Ml.Contracts.Validation;

/// <summary>One loaded contract as GET /api/contracts lists it.</summary>
public sealed record ContractSummary(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("sha256")] string Sha256);

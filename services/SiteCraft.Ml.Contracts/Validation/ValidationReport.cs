using System.Text.Json.Serialization;

namespace SiteCraft.Ml.Contracts.Validation;

/// <summary>The answer to POST /api/contracts/{id}/validate: counts and every record's verdict.</summary>
public sealed record ValidationReport(
    [property: JsonPropertyName("contract")] string Contract,
    [property: JsonPropertyName("valid_count")] int ValidCount,
    [property: JsonPropertyName("invalid_count")] int InvalidCount,
    [property: JsonPropertyName("records")] IReadOnlyList<RecordResult> Records);

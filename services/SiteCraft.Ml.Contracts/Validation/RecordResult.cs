using System.Text.Json.Serialization;

namespace SiteCraft.Ml.Contracts.Validation;

/// <summary>The verdict on one record of a validation request, by its index in the batch.</summary>
public sealed record RecordResult(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("violations")] IReadOnlyList<ViolationDto> Violations);

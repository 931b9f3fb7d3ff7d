using System.Text.Json.Serialization;

namespace SiteCraft.Ml.Contracts.Validation;

/// <summary>One violation of a record, as the HTTP validation answers it.</summary>
public sealed record ViolationDto(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("excerpt")] string? Excerpt);

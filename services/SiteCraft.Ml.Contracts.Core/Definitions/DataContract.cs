namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>
/// A loaded, checked data contract: the ODCS part (schema, quality rules, SLA) and our
/// curation policy, with the sha256 of the file it came from so a changed file under an old
/// version is detected when it is stored in ai_data_contracts.
/// </summary>
public sealed record DataContract
{
    public required string ApiVersion { get; init; }

    public required string Id { get; init; }

    public string? Name { get; init; }

    public required string Version { get; init; }

    /// <summary>draft, active or deprecated (the values ai_data_contracts accepts).</summary>
    public required string Status { get; init; }

    /// <summary>The schema object that every record must match.</summary>
    public required PropertySchema Schema { get; init; }

    /// <summary>The deepest JSON nesting a record may have before it is refused unread.</summary>
    public required int MaxDepth { get; init; }

    public required Freshness Freshness { get; init; }

    public required CurationPolicy Curation { get; init; }

    /// <summary>Lowercase hex sha256 of the file's bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The file's text, as stored in ai_data_contracts.body.</summary>
    public required string Body { get; init; }

    /// <summary>Where it was loaded from, for messages.</summary>
    public required string Source { get; init; }

    /// <summary><c>id@version</c>, e.g. <c>ai_training_examples@1.0.0</c>.</summary>
    public string Key => $"{Id}@{Version}";
}

namespace SiteCraft.Ml.Training.Corpus;

/// <summary>
/// What a SiteCraft customer tells the builder about their business: the facts every completion is
/// written from. <see cref="ToPromptText"/> is the user message the model sees.
/// </summary>
public sealed record BusinessBrief(
    string Id,
    string BusinessName,
    string Industry,
    string City,
    string Country,
    string Language,
    string Tone,
    string Audience,
    IReadOnlyList<string> Offerings,
    string Differentiator,
    IReadOnlyList<string> Sections)
{
    /// <summary>The brief as the few labelled lines a user would type, one fact per line, always in this order.</summary>
    public string ToPromptText() =>
        $"""
        Business: {BusinessName}
        Industry: {Industry}
        Location: {City}, {Country}
        Language: {Language}
        Tone: {Tone}
        Audience: {Audience}
        Offers: {string.Join(", ", Offerings)}
        Known for: {Differentiator}
        Sections: {string.Join(", ", Sections)}
        """;
}

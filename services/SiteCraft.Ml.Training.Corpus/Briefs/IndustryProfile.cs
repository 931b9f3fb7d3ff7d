namespace SiteCraft.Ml.Training.Corpus.Briefs;

/// <summary>
/// The phrase bank for one industry. Offerings are plural or mass noun phrases ("sourdough loaves"),
/// benefits and differentiators noun phrases that read after "known for" or "built around",
/// taglines short headings, customers a regular plural ("patients").
/// </summary>
internal sealed record IndustryProfile(
    string Label,
    IReadOnlyList<string> NameSuffixes,
    IReadOnlyList<string> Offerings,
    IReadOnlyList<string> Benefits,
    IReadOnlyList<string> Differentiators,
    IReadOnlyList<string> Audiences,
    IReadOnlyList<string> Taglines,
    string Customers,
    string Staff,
    string Place,
    string ActionLabel,
    string ActionHref)
{
    /// <summary>The singular of <see cref="Customers"/>; every bank entry is a regular plural.</summary>
    public string Customer => Customers[..^1];
}

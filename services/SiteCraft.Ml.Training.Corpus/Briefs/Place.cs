namespace SiteCraft.Ml.Training.Corpus.Briefs;

/// <summary>A city a business can be in; <paramref name="Locale"/> is the regional language code used there besides plain "en".</summary>
internal sealed record Place(string City, string Country, string? Locale);

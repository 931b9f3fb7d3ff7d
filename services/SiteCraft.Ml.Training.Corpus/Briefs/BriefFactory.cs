namespace SiteCraft.Ml.Training.Corpus.Briefs;

/// <summary>Draws one business brief from a random stream.</summary>
internal static class BriefFactory
{
    /// <summary>The section types in the order a page lays them out; hero always comes first.</summary>
    public static IReadOnlyList<string> SectionOrder { get; } =
        ["hero", "about", "services", "features", "gallery", "team", "testimonials", "pricing", "faq", "contact", "cta"];

    public static BusinessBrief Create(string id, ref CorpusRandom random, bool heldOut)
    {
        var industry = random.Pick(Industries.All);
        var place = random.Pick(Places.All);
        var tone = random.Pick(Tones.All);
        var name = BusinessNames.Compose(ref random, industry, heldOut);
        var language = place.Locale is not null && random.Chance(0.3) ? place.Locale : "en";
        var offerings = random.PickDistinct(industry.Offerings, 2 + random.Next(3), keepOrder: false);
        // 3 to 6 sections, fewer more often: six sections is where a page presses on the 512-token context.
        var sectionCount = random.Next(20) switch { < 6 => 3, < 12 => 4, < 17 => 5, _ => 6 };
        var sections = random.PickDistinct(SectionOrder.Skip(1).ToArray(), sectionCount - 1);
        return new BusinessBrief(
            id,
            name,
            industry.Label,
            place.City,
            place.Country,
            language,
            tone.Name,
            random.Pick(industry.Audiences),
            offerings,
            random.Pick(industry.Differentiators),
            ["hero", .. sections]);
    }
}

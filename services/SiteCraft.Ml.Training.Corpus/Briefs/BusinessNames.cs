namespace SiteCraft.Ml.Training.Corpus.Briefs;

/// <summary>
/// Composes business names from invented parts ("Juniper Hill Bakery", "Fox &amp; Fern Flowers").
/// Every fifth lead word is reserved for held-out briefs, so no held-out business name can appear in
/// training whatever the seed or count.
/// </summary>
internal static class BusinessNames
{
    private static readonly string[] s_leads =
    [
        "Juniper", "Copper", "Maple", "Harbor", "Oak", "Willow", "Cedar", "Silver", "Bluebird", "North Star",
        "Lantern", "Meadow", "Ember", "Fern", "Stone", "Bright", "Golden", "Little", "Sunny", "Hazel",
        "Iron", "River", "Summit", "Pine", "Birch", "Amber", "Coral", "Linden", "Orchard", "Beacon",
        "Clover", "Ivy", "Laurel", "Moss", "Nova", "Pebble", "Quill", "Rowan", "Saffron", "Sage",
        "Sparrow", "Tidal", "Velvet", "Wren", "Alder", "Bramble", "Cobalt", "Driftwood", "Elm", "Fox",
        "Granite", "Heron", "Indigo", "Jasper", "Kestrel", "Lark", "Marigold", "Nimbus", "Olive", "Poppy",
        "Quarry", "Robin", "Slate", "Thistle", "Umber", "Vale", "Whistle", "Yarrow", "Zephyr", "Acorn",
        "Bluebell", "Cinder", "Dune", "Evergreen", "Fable", "Glen", "Harvest", "Island", "Juno", "Kite",
    ];

    private static readonly string[] s_places =
    [
        "Lane", "Hill", "Street", "Grove", "Bay", "Park", "Square", "Bridge", "Corner", "Yard",
        "House", "Field", "Mill", "Gate", "Row", "Point", "Garden", "Cross", "Common", "Wharf",
    ];

    private static readonly IReadOnlyList<string> s_trainingLeads = [.. s_leads.Where((_, i) => i % 5 != 0)];
    private static readonly IReadOnlyList<string> s_heldOutLeads = [.. s_leads.Where((_, i) => i % 5 == 0)];

    public static string Compose(ref CorpusRandom random, IndustryProfile industry, bool heldOut)
    {
        var leads = heldOut ? s_heldOutLeads : s_trainingLeads;
        var lead = random.Pick(leads);
        var suffix = random.Pick(industry.NameSuffixes);
        return random.Next(10) switch
        {
            < 4 => $"{lead} {suffix}",
            < 8 => $"{lead} {random.Pick(s_places)} {suffix}",
            _ => $"{lead} & {random.Pick(s_leads)} {suffix}",
        };
    }
}

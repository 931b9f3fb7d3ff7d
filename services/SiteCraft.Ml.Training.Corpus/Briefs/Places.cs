namespace SiteCraft.Ml.Training.Corpus.Briefs;

/// <summary>Cities across English-speaking and other countries; all copy stays in English.</summary>
internal static class Places
{
    public static IReadOnlyList<Place> All { get; } =
    [
        .. Cities("United States", "en-US", "Portland", "Austin", "Denver", "Boston", "Seattle", "Chicago", "Nashville", "San Diego", "Minneapolis", "Savannah", "Asheville", "Madison"),
        .. Cities("United Kingdom", "en-GB", "Bristol", "Leeds", "Manchester", "Edinburgh", "Glasgow", "Brighton", "York", "Cardiff", "Belfast", "Oxford", "Bath", "Norwich"),
        .. Cities("Ireland", "en-IE", "Dublin", "Cork", "Galway", "Limerick"),
        .. Cities("Canada", "en-CA", "Toronto", "Vancouver", "Halifax", "Calgary", "Ottawa", "Victoria"),
        .. Cities("Australia", "en-AU", "Melbourne", "Brisbane", "Perth", "Adelaide", "Hobart", "Sydney"),
        .. Cities("New Zealand", "en-NZ", "Auckland", "Wellington", "Christchurch", "Dunedin"),
        .. Cities("South Africa", "en-ZA", "Cape Town", "Durban"),
        .. Cities("Singapore", "en-SG", "Singapore"),
        .. Cities("Portugal", null, "Lisbon", "Porto"),
        .. Cities("Netherlands", null, "Amsterdam", "Utrecht", "Rotterdam"),
        .. Cities("Germany", null, "Berlin", "Hamburg", "Munich"),
        .. Cities("Spain", null, "Barcelona", "Valencia", "Seville"),
        .. Cities("France", null, "Lyon", "Bordeaux"),
        .. Cities("Denmark", null, "Copenhagen", "Aarhus"),
        .. Cities("Sweden", null, "Stockholm", "Gothenburg"),
        .. Cities("Italy", null, "Milan", "Bologna"),
    ];

    private static IEnumerable<Place> Cities(string country, string? locale, params string[] cities) =>
        cities.Select(city => new Place(city, country, locale));
}

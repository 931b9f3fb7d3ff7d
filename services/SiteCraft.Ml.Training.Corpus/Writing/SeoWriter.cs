using System.Text.Json;

namespace SiteCraft.Ml.Training.Corpus.Writing;

/// <summary>
/// Writes the site.seo.meta completion: {"title","description"} naming the business and its city,
/// the title within 60 characters and the description within 70 to 155, inside what search
/// engines display (the catalog allows 160).
/// </summary>
internal static class SeoWriter
{
    public const int MaxTitleLength = 60;
    public const int MinDescriptionLength = 70;
    public const int MaxDescriptionLength = 155;

    private static readonly string[] s_descriptions =
    [
        "{name} offers {offers} for {audience} in {city}.",
        "Looking for {o1} in {city}? {name} offers {o2} and more.",
        "{name} in {city}: {offers}. {Benefit}.",
        "Visit {name} in {city} for {o1} and {o2}, known for {benefit}.",
        "{Aadj} {industry} in {city}. {name} offers {offers}.",
    ];

    private static readonly string[] s_paddings = ["{action} today.", "Known for {diff}.", "Serving {audience} across {city}."];

    public static string Write(CopyContext context)
    {
        var brief = context.Brief;
        string[] titles = [$"{brief.BusinessName} | {TitleCase(brief.Industry)} in {brief.City}", $"{brief.BusinessName} | {brief.City}", brief.BusinessName];
        var title = titles.FirstOrDefault(t => t.Length <= MaxTitleLength) ?? brief.BusinessName[..MaxTitleLength];

        var description = context.PickWithin(s_descriptions, MaxDescriptionLength);
        foreach (var padding in s_paddings)
        {
            var longer = description + " " + context.Fill(padding);
            if (description.Length >= MinDescriptionLength || longer.Length > MaxDescriptionLength)
            {
                continue;
            }

            description = longer;
        }

        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer, CompactJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("title", title);
            writer.WriteString("description", description);
            writer.WriteEndObject();
        }

        return CompactJson.Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // Capitalises each word's first letter and leaves the rest, so "SaaS analytics" becomes "SaaS Analytics".
    private static string TitleCase(string text) =>
        string.Join(' ', text.Split(' ').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
}

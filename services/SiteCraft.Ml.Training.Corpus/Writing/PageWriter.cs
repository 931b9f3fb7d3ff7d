using System.Text.Json;

namespace SiteCraft.Ml.Training.Corpus.Writing;

/// <summary>
/// Writes the site.page.json completion: compact JSON with title, language and the brief's
/// sections in order. A page is kept near <see cref="TargetLength"/> characters so prompt and
/// page fit a 512-token context; extra sentences are added only while they fit.
/// </summary>
internal static class PageWriter
{
    public const int TargetLength = 1000;
    public const int MaxTitleLength = 60;
    public const int MaxHeadingLength = 60;
    public const int MaxBodyLength = 220;

    // Bodies start short so six sections still fit; the extras fill what room is left.
    private const int MaxLeadLength = 120;

    public static string Write(CopyContext context)
    {
        var brief = context.Brief;
        var sections = brief.Sections.Select(type => Draft(context, type)).ToList();
        var title = Title(context);
        var length = Serialize(brief, title, sections).Length;

        // Six long sections can overrun the budget: swap the longest body or heading for its type's shortest until it fits.
        while (length > TargetLength)
        {
            var section = sections.MaxBy(s => s.Slack)!;
            if (section.Slack == 0)
            {
                break;
            }

            length -= section.Slack;
            section.Shorten();
        }

        foreach (var section in sections)
        {
            if (section.Extra is { } extra && context.Random.Chance(0.6)
                && section.Body.Length + 1 + extra.Length <= MaxBodyLength
                && length + 1 + extra.Length <= TargetLength)
            {
                section.Body += " " + extra;
                length += 1 + extra.Length;
            }
        }

        return Serialize(brief, title, sections);
    }

    private static string Title(CopyContext context)
    {
        var brief = context.Brief;
        string[] candidates = [context.Fill("{name} | {O1} in {city}"), $"{brief.BusinessName} | {brief.City}", brief.BusinessName];
        return candidates.FirstOrDefault(t => t.Length <= MaxTitleLength) ?? brief.BusinessName[..MaxTitleLength];
    }

    private static SectionDraft Draft(CopyContext context, string type)
    {
        var template = SectionTemplates.For(type);
        var heading = context.PickWithin(template.Headings, MaxHeadingLength);
        var body = context.PickWithin(template.Bodies, MaxLeadLength);
        var shortestHeading = template.Headings.Select(context.Fill).MinBy(h => h.Length)!;
        var shortestBody = template.Bodies.Select(context.Fill).MinBy(b => b.Length)!;
        var extra = Sentences.Count(body) == 1 && template.Extras.Count > 0 ? context.Pick(template.Extras) : null;
        return new SectionDraft(type, heading, body, extra, CallToAction(context, type)) { ShortestHeading = shortestHeading, ShortestBody = shortestBody };
    }

    private static (string Label, string Href)? CallToAction(CopyContext context, string type)
    {
        var industry = context.Industry;
        return type switch
        {
            "hero" => (industry.ActionLabel, industry.ActionHref),
            "cta" => context.Random.Chance(0.7) ? (industry.ActionLabel, industry.ActionHref) : ("Get in touch", "#contact"),
            "contact" => context.Random.Next(3) switch
            {
                0 => ("Send a message", "mailto:hello@example.com"),
                // 555-0100 to 555-0199 are reserved for fiction, so no real line is ever named.
                1 => ("Call us", $"tel:555-01{context.Random.Next(100):D2}"),
                _ => ("Contact us", "/contact"),
            },
            _ => null,
        };
    }

    private static string Serialize(BusinessBrief brief, string title, List<SectionDraft> sections)
    {
        using var buffer = new MemoryStream(1024);
        using (var writer = new Utf8JsonWriter(buffer, CompactJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("title", title);
            writer.WriteString("language", brief.Language);
            writer.WriteStartArray("sections");
            foreach (var section in sections)
            {
                writer.WriteStartObject();
                writer.WriteString("type", section.Type);
                writer.WriteString("heading", section.Heading);
                writer.WriteString("body", section.Body);
                if (section.Cta is { } cta)
                {
                    writer.WriteStartObject("cta");
                    writer.WriteString("label", cta.Label);
                    writer.WriteString("href", cta.Href);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return CompactJson.Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private sealed class SectionDraft(string type, string heading, string body, string? extra, (string Label, string Href)? cta)
    {
        public string Type { get; } = type;

        public string Heading { get; private set; } = heading;

        public string Body { get; set; } = body;

        public string? Extra { get; } = extra;

        public (string Label, string Href)? Cta { get; } = cta;

        public required string ShortestHeading { get; init; }

        public required string ShortestBody { get; init; }

        /// <summary>How many characters <see cref="Shorten"/> would save on the bigger of heading and body.</summary>
        public int Slack => Math.Max(Heading.Length - ShortestHeading.Length, Body.Length - ShortestBody.Length);

        public void Shorten()
        {
            if (Heading.Length - ShortestHeading.Length >= Body.Length - ShortestBody.Length)
            {
                Heading = ShortestHeading;
            }
            else
            {
                Body = ShortestBody;
            }
        }
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SiteCraft.Ml.Benchmarks.Contracts;

/// <summary>
/// Training records as the product sends them, about 1 KB each: site copy in prose, HTML with
/// inline CSS and attributes, page JSON and SEO tags, for many kinds of small business. A few
/// carry an e-mail address or phone number; about 5% repeat an earlier record exactly and 5%
/// nearly (a word or two changed); 1% break the contract. The same seed gives the same bytes.
/// </summary>
public sealed class TrainingCorpus
{
    public const double ExactDuplicateShare = 0.05;
    public const double NearDuplicateShare = 0.05;
    public const double PiiShare = 0.03;
    public const double InvalidShare = 0.01;

    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly DateTimeOffset s_firstCreatedAt = new(2025, 5, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] s_kinds =
    [
        "bakery", "yoga studio", "bicycle workshop", "dental practice", "architecture studio", "florist", "coffee roaster",
        "bookshop", "law firm", "climbing gym", "veterinary clinic", "wine bar", "tailor", "photography studio",
        "language school", "plumbing company", "pottery studio", "guesthouse", "barber shop", "music school",
    ];

    private static readonly string[] s_names =
    [
        "Maison Dorée", "Northside", "Blue Fern", "Atelier Rivage", "Copper Kettle", "Linden & Oak", "Studio Nord",
        "Little Harbour", "Grünwald", "Casa Lumen", "Brightwater", "Old Mill", "Fjord", "Saffron Lane", "Red Brick",
        "Willow Row", "Kestrel", "Marigold", "Ironbridge", "Café Pélican", "Hollis & Vane", "Seabright", "Tamarind",
    ];

    private static readonly string[] s_cities =
    [
        "Lyon", "Leeds", "Porto", "Ghent", "Zürich", "Bristol", "Austin", "Malmö", "Bologna", "Dublin", "Kraków",
        "Portland", "Nantes", "Utrecht", "Halifax", "Valencia", "Tartu", "Galway", "Basel", "Ljubljana",
    ];

    private static readonly string[] s_adjectives =
    [
        "warm", "honest", "careful", "small", "independent", "friendly", "patient", "seasonal", "local", "quiet",
        "bright", "generous", "skilled", "calm", "modern", "traditional", "thoughtful", "reliable", "curious", "relaxed",
        "handmade", "fresh", "practical", "welcoming", "experienced", "affordable", "sustainable", "award-winning",
    ];

    private static readonly string[] s_nouns =
    [
        "sourdough", "appointments", "repairs", "lessons", "bouquets", "espresso", "consultations", "fittings",
        "workshops", "classes", "check-ups", "tastings", "portraits", "renovations", "tours", "pastries", "plans",
        "service", "advice", "routes", "rooms", "glazes", "haircuts", "recitals", "tune-ups", "estimates", "menus",
    ];

    private static readonly string[] s_people =
    [
        "families", "beginners", "commuters", "students", "neighbours", "small teams", "first-time buyers",
        "regulars", "visitors", "children", "couples", "riders", "pet owners", "home cooks", "local businesses",
    ];

    private static readonly string[] s_verbs =
    [
        "bake", "plan", "repair", "teach", "design", "prepare", "roast", "arrange", "build", "tune", "check",
        "photograph", "restore", "host", "serve", "mend", "fit", "guide", "shape", "pour",
    ];

    private static readonly string[] s_days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    private static readonly string[] s_templates =
    [
        "{Name} is a {adj} {kind} in {city}, run by the same family since {year}.",
        "Every {day} we {verb} {noun} for {people} from all over {city}.",
        "Our {noun} are {adj} and {adj}, and we never rush them.",
        "Book {noun} online in a minute, or drop by and ask for {first}.",
        "Most visits take about {n} minutes, and the first one is free for {people}.",
        "We {verb} with {adj} materials sourced within {n} kilometres of {city}.",
        "{people} tell us they come back for the {adj} {noun} and stay for the conversation.",
        "Since {year} we have helped more than {big} {people} with {adj} {noun}.",
        "On {day}s the {kind} opens early, so {people} can stop by before work.",
        "Ask about our {adj} {noun}: we {verb} them to order and explain every step.",
        "The team of {n} is small on purpose, which keeps our {noun} {adj} and personal.",
        "Find us two streets from the {landmark} in {city}, with parking for bikes and cars.",
        "Prices start at {price} euros, and we always give an estimate before we {verb}.",
        "Gift cards for {noun} make a {adj} present for {people} and never expire.",
        "We close for two weeks in {month} to rest, travel and {verb} new ideas.",
        "Each order of {noun} is checked twice, because {people} deserve {adj} work.",
        "Our newsletter shares {adj} tips on {noun} once a month, and nothing else.",
        "Bring your questions: {first} has spent {n} years learning to {verb} well.",
    ];

    private static readonly string[] s_openings =
    [
        "since {year}", "every {day}", "at {Name}", "here in {city}", "for {people}", "twice a week", "in {month}",
        "after {n} years", "on quiet afternoons", "when you visit", "most {day}s", "from our corner of {city}",
        "all year round", "before noon", "with {first} in charge", "whatever the season", "just off the {landmark}",
        "like our {adj} neighbours", "by appointment or not", "in a {adj} room",
    ];

    private static readonly string[] s_subjects =
    [
        "we {verb}", "our team can {verb}", "{first} likes to {verb}", "the {kind} will {verb}", "we still {verb}",
        "you can watch us {verb}", "our {n} staff {verb}", "we are happy to {verb}", "{first} and {first} {verb}",
        "we quietly {verb}", "the whole family helps {verb}", "we would love to {verb}",
    ];

    private static readonly string[] s_objects =
    [
        "{adj} {noun} for {people}", "{noun} that {people} trust", "{noun} with {adj} care", "your {noun}",
        "{n} kinds of {noun}", "{adj}, {adj} {noun}", "{noun} and {noun}", "the {noun} {people} ask for",
        "{noun} made in {city}", "{adj} {noun} at fair prices", "{noun} the {adj} way", "every order of {noun}",
    ];

    private static readonly string[] s_closings =
    [
        "without rushing", "before the city wakes up", "and explain each step", "so you leave {adj}",
        "until it feels right", "near the {landmark}", "for less than {price} euros", "with a {adj} smile",
        "the way {first} taught us", "in about {n} minutes", "rain or shine", "whenever you need us",
        "and never cut corners", "for {people} and {people}", "on {day}s too",
    ];

    private static readonly string[] s_firstNames = ["Amélie", "Tom", "Priya", "Jonas", "Sofia", "Kwame", "Lena", "Mateo", "Aoife", "Yuki", "Noor", "Pavel"];
    private static readonly string[] s_landmarks = ["river bridge", "old market", "train station", "cathedral", "harbour", "town hall", "park gates", "museum"];
    private static readonly string[] s_months = ["January", "February", "August", "November"];
    private static readonly string[] s_ctas = ["Book a visit", "See the menu", "Plan your lesson", "Get an estimate", "Reserve a table", "Meet the team"];
    private static readonly string[] s_sources = ["generation", "generation", "generation", "human_edit", "import.agency"];

    private TrainingCorpus(byte[][] records, int exactDuplicates, int nearDuplicates, int withPii, int invalid)
    {
        Records = records;
        ExactDuplicates = exactDuplicates;
        NearDuplicates = nearDuplicates;
        WithPii = withPii;
        Invalid = invalid;
        Bytes = records.Sum(r => (long)r.Length);
    }

    /// <summary>Each record as one JSONL line's UTF-8 bytes, without the newline.</summary>
    public IReadOnlyList<byte[]> Records { get; }

    public long Bytes { get; }

    public double MeanRecordBytes => Records.Count == 0 ? 0 : (double)Bytes / Records.Count;

    public int ExactDuplicates { get; }

    public int NearDuplicates { get; }

    public int WithPii { get; }

    /// <summary>Records planted to break the contract (a use case it does not know, or no consent).</summary>
    public int Invalid { get; }

    public static TrainingCorpus Generate(int count, int seed)
    {
        var random = new Random(seed);
        var records = new byte[count][];
        var originals = new List<Content>(count);
        int exact = 0, near = 0, pii = 0, invalid = 0;
        for (var i = 0; i < count; i++)
        {
            var roll = random.NextDouble();
            Content content;
            var breaks = false;
            if (roll < ExactDuplicateShare && originals.Count > 0)
            {
                content = originals[random.Next(originals.Count)];
                exact++;
            }
            else if (roll < ExactDuplicateShare + NearDuplicateShare && originals.Count > 0)
            {
                content = NearCopy(random, originals[random.Next(originals.Count)]);
                near++;
            }
            else
            {
                var withPii = roll < ExactDuplicateShare + NearDuplicateShare + PiiShare;
                content = Fresh(random, withPii);
                pii += withPii ? 1 : 0;
                breaks = roll > 1 - InvalidShare;
                invalid += breaks ? 1 : 0;

                // Only near-dedup-able content (long enough for several 5-word shingles) is copied later.
                if (!breaks && content.Completion.Length > 400)
                {
                    originals.Add(content);
                }
            }

            records[i] = Serialize(random, i, content, breaks);
        }

        return new TrainingCorpus(records, exact, near, pii, invalid);
    }

    private static Content Fresh(Random random, bool withPii)
    {
        // Each template at most once per completion, as a writer would not repeat a sentence's frame.
        var templates = s_templates.ToArray();
        random.Shuffle(templates);
        var business = new Business(Pick(random, s_names), Pick(random, s_kinds), Pick(random, s_cities), new Queue<string>(templates));
        var system = "You write warm, concise website copy for small businesses. Answer with the copy only.";
        var kind = random.NextDouble();
        if (kind < 0.55)
        {
            var prose = Paragraph(random, business, random.Next(4, 7));
            if (withPii)
            {
                prose += " " + Contact(random, business);
            }

            return new Content("site.section.copy", system, $"Write the about section for {business.Name}, a {business.Kind} in {business.City}.", prose);
        }

        if (kind < 0.85)
        {
            return new Content("site.section.copy", system, $"Write the hero section of {business.Name}'s home page as HTML with its CSS.", Html(random, business, withPii));
        }

        if (kind < 0.95)
        {
            return new Content("site.page.json", system, $"Draft the landing page of {business.Name} ({business.Kind}, {business.City}) as page JSON.", PageJson(random, business, withPii));
        }

        return new Content("site.seo.meta", system, $"Write the SEO title and description for {business.Name}, a {business.Kind} in {business.City}.", Seo(random, business));
    }

    private static string Paragraph(Random random, Business business, int sentences)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < sentences; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(Sentence(random, business));
        }

        return builder.ToString();
    }

    /// <summary>
    /// Mostly a sentence put together from four short fragments, so that two records rarely share
    /// a run of five words unless one copies the other; now and then a stock sentence, as real copy has.
    /// </summary>
    private static string Sentence(Random random, Business business)
    {
        var sentence = random.Next(4) == 0 && business.Templates.Count > 0
            ? Fill(random, business, business.Templates.Dequeue())
            : string.Concat(
                Fill(random, business, Pick(random, s_openings)), ", ",
                Fill(random, business, Pick(random, s_subjects)), " ",
                Fill(random, business, Pick(random, s_objects)), " ",
                Fill(random, business, Pick(random, s_closings)), ".");
        return char.IsLower(sentence[0]) ? char.ToUpperInvariant(sentence[0]) + sentence[1..] : sentence;
    }

    private static string Heading(Random random, Business business)
    {
        var heading = Fill(random, business, Pick(random, s_objects));
        return char.ToUpperInvariant(heading[0]) + heading[1..];
    }

    private static string Fill(Random random, Business business, string template)
    {
        var builder = new StringBuilder(template.Length + 40);
        var at = 0;
        while (at < template.Length)
        {
            var open = template.IndexOf('{', at);
            if (open < 0)
            {
                builder.Append(template, at, template.Length - at);
                break;
            }

            var close = template.IndexOf('}', open);
            builder.Append(template, at, open - at);
            builder.Append(Slot(random, business, template[(open + 1)..close]));
            at = close + 1;
        }

        return builder.ToString();
    }

    private static string Slot(Random random, Business business, string slot) => slot switch
    {
        "Name" => business.Name,
        "kind" => business.Kind,
        "city" => business.City,
        "adj" => Pick(random, s_adjectives),
        "noun" => Pick(random, s_nouns),
        "people" => Pick(random, s_people),
        "verb" => Pick(random, s_verbs),
        "day" => Pick(random, s_days),
        "first" => Pick(random, s_firstNames),
        "landmark" => Pick(random, s_landmarks),
        "month" => Pick(random, s_months),
        "year" => random.Next(1952, 2022).ToString(CultureInfo.InvariantCulture),
        "n" => random.Next(3, 60).ToString(CultureInfo.InvariantCulture),
        "big" => random.Next(200, 9000).ToString("N0", CultureInfo.InvariantCulture),
        "price" => random.Next(15, 240).ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(slot), slot, "no such slot in the templates"),
    };

    private static string Html(Random random, Business business, bool withPii)
    {
        var variant = Pick(random, s_adjectives).Replace("-", "", StringComparison.Ordinal);
        var slug = Slug(business.Name);
        var contact = withPii ? $"\n  <p class=\"contact\">{Contact(random, business)}</p>" : "";
        return $$"""
            <section class="hero hero--{{variant}}" id="{{slug}}-top">
              <style>
                .hero--{{variant}} { display: grid; gap: {{random.Next(1, 4)}}rem; padding: {{random.Next(2, 7)}}rem 2rem; background: #{{random.Next(0x1000000):x6}}; }
                .hero--{{variant}} h1 { font-size: clamp(2rem, 5vw, 3.{{random.Next(10)}}rem); color: #{{random.Next(0x1000000):x6}}; }
                .hero--{{variant}} .btn { border-radius: {{random.Next(2, 999)}}px; padding: 0.75rem 1.5rem; }
              </style>
              <h1>{{Heading(random, business)}}</h1>
              <p>{{Paragraph(random, business, 2)}}</p>
              <p>{{Sentence(random, business)}}</p>{{contact}}
              <a class="btn btn-primary" href="/{{slug}}/book" data-track="hero-cta-{{random.Next(100)}}">{{Pick(random, s_ctas)}}</a>
            </section>
            """;
    }

    private static string PageJson(Random random, Business business, bool withPii)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("title", $"{business.Name} — {business.Kind} in {business.City}");
            json.WriteStartArray("sections");
            foreach (var type in new[] { "hero", "features", "contact" })
            {
                json.WriteStartObject();
                json.WriteString("type", type);
                json.WriteString("heading", Heading(random, business));
                json.WriteString("body", type == "contact" && withPii ? Contact(random, business) : Sentence(random, business));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Seo(Random random, Business business) =>
        $"<title>{business.Name} | {Pick(random, s_adjectives)} {business.Kind} in {business.City}</title>\n" +
        $"<meta name=\"description\" content=\"{Sentence(random, business)} {Sentence(random, business)}\">";

    private static string Contact(Random random, Business business) =>
        $"Questions? Call {random.Next(201, 990)}-{random.Next(200, 999)}-{random.Next(1000, 9999)} or write to {Pick(random, s_firstNames).ToLowerInvariant()}@{Slug(business.Name)}.com.";

    private static Content NearCopy(Random random, Content original)
    {
        // One or two words swapped for another of the same bank: Jaccard over word 5-grams stays near 0.85-0.95.
        var words = original.Completion.Split(' ');
        var eligible = Enumerable.Range(0, words.Length).Where(i => words[i].Length > 3 && words[i].All(char.IsAsciiLetterLower)).ToArray();
        var changes = random.Next(1, 3);
        for (var done = 0; done < changes; done++)
        {
            var at = eligible[random.Next(eligible.Length)];
            var replacement = Pick(random, s_adjectives);
            words[at] = replacement == words[at] ? replacement + "ly" : replacement;
        }

        return original with { Completion = string.Join(' ', words) };
    }

    private static byte[] Serialize(Random random, int index, Content content, bool breakContract)
    {
        var buffer = new ArrayBufferWriter<byte>(1536);
        using (var json = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            Span<byte> id = stackalloc byte[16];
            random.NextBytes(id);
            json.WriteStartObject();
            json.WriteString("id", new Guid(id).ToString());
            json.WriteString("source", Pick(random, s_sources));
            json.WriteString("use_case", breakContract && index % 2 == 0 ? "site.blog.post" : content.UseCase);
            json.WriteStartArray("messages");
            json.WriteStartObject();
            json.WriteString("role", "system");
            json.WriteString("content", content.System);
            json.WriteEndObject();
            json.WriteStartObject();
            json.WriteString("role", "user");
            json.WriteString("content", content.Prompt);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("completion", content.Completion);
            json.WriteString("tenant_id", $"tenant-{random.Next(1, 400)}");
            json.WriteString("site_id", $"site-{random.Next(1, 5000)}");
            json.WriteBoolean("consent", !(breakContract && index % 2 == 1));
            if (random.Next(3) > 0)
            {
                json.WriteStartObject("quality_signals");
                json.WriteNumber("online_score", Math.Round(random.NextDouble(), 3));
                json.WriteNumber("user_rating", random.Next(1, 6));
                json.WriteBoolean("edited_by_user", random.Next(4) == 0);
                json.WriteEndObject();
            }

            json.WriteString("created_at", s_firstCreatedAt.AddSeconds(index * 7.0).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Slug(string name) =>
        new(name.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == ' ').Select(c => c == ' ' ? '-' : c).ToArray());

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    /// <summary>Who the copy is for, and the sentence templates not used yet in this completion.</summary>
    private sealed record Business(string Name, string Kind, string City, Queue<string> Templates);

    private sealed record Content(string UseCase, string System, string Prompt, string Completion);
}

using System.Collections.Frozen;
using System.Reflection;

namespace SiteCraft.Ml.Catalog;

/// <summary>
/// The one list of SiteCraft use cases. Routing policies, eval suites, training data and
/// contracts name these ids; nothing else defines them.
/// </summary>
public static class UseCaseCatalog
{
    public const string PageJson = "site.page.json";
    public const string SectionCopy = "site.section.copy";
    public const string SeoMeta = "site.seo.meta";

    public static IReadOnlyList<UseCase> All { get; } =
    [
        new(
            PageJson,
            "Landing page",
            "A whole landing page as JSON: a title and ordered sections, each with a type, heading, body and optional call to action.",
            UseCaseFormat.Json,
            LoadSchema("site.page.schema.json"),
            new Dictionary<string, int> { ["sections_min"] = 1, ["sections_max"] = 12, ["heading_max_chars"] = 120 }),
        new(
            SectionCopy,
            "Section copy",
            "Marketing copy for one section of a page (plain text, a few sentences), in the requested tone.",
            UseCaseFormat.Text,
            null,
            new Dictionary<string, int> { ["body_min_chars"] = 40, ["body_max_chars"] = 1200 }),
        new(
            SeoMeta,
            "SEO meta",
            "The page's <title> and meta description as JSON, within search engines' display limits.",
            UseCaseFormat.Json,
            LoadSchema("site.seo.schema.json"),
            new Dictionary<string, int> { ["title_max_chars"] = 60, ["description_max_chars"] = 160 }),
    ];

    private static readonly FrozenDictionary<string, UseCase> s_byId = All.ToFrozenDictionary(u => u.Id, StringComparer.Ordinal);

    public static IEnumerable<string> Ids => All.Select(u => u.Id);

    public static bool TryGet(string id, out UseCase useCase) => s_byId.TryGetValue(id, out useCase!);

    public static UseCase Get(string id) => s_byId.TryGetValue(id, out var useCase)
        ? useCase
        : throw new KeyNotFoundException($"Unknown use case '{id}'. Known: {string.Join(", ", Ids)}.");

    private static string LoadSchema(string fileName)
    {
        var name = $"SiteCraft.Ml.Catalog.Schemas.{fileName}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded schema {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

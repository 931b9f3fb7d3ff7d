using System.Text;
using SiteCraft.Ml.Training.Corpus.Briefs;

namespace SiteCraft.Ml.Training.Corpus.Writing;

/// <summary>
/// Fills wording templates for one brief. Slots are written {name}; a capitalised slot ({Benefit})
/// capitalises the first letter of its value. Benefits and adjectives rotate through a shuffled
/// order, so one page does not repeat them until the bank runs out.
/// </summary>
internal sealed class CopyContext
{
    private readonly List<string> _benefits;
    private readonly List<string> _adjectives;
    private int _nextBenefit;
    private int _nextAdjective;

    public CopyContext(BusinessBrief brief, CorpusRandom random)
    {
        Brief = brief;
        Industry = Industries.All.FirstOrDefault(i => i.Label == brief.Industry)
            ?? throw new ArgumentException($"Unknown industry '{brief.Industry}'.", nameof(brief));
        Tone = Tones.All.FirstOrDefault(t => t.Name == brief.Tone)
            ?? throw new ArgumentException($"Unknown tone '{brief.Tone}'.", nameof(brief));
        Random = random;
        _benefits = Random.PickDistinct(Industry.Benefits, Industry.Benefits.Count, keepOrder: false);
        _adjectives = Random.PickDistinct(Tone.Adjectives, Tone.Adjectives.Count, keepOrder: false);
    }

    public BusinessBrief Brief { get; }

    public IndustryProfile Industry { get; }

    public ToneProfile Tone { get; }

    // A mutable struct kept in a field on purpose: every pick advances the one stream for this brief.
    public CorpusRandom Random;

    public string Pick(IReadOnlyList<string> templates) => Fill(Random.Pick(templates));

    /// <summary>Fills a random template; if it runs over <paramref name="maxLength"/>, the first that fits, else the shortest.</summary>
    public string PickWithin(IReadOnlyList<string> templates, int maxLength)
    {
        var text = Pick(templates);
        if (text.Length <= maxLength)
        {
            return text;
        }

        var all = templates.Select(Fill).ToList();
        return all.FirstOrDefault(t => t.Length <= maxLength) ?? all.MinBy(t => t.Length)!;
    }

    public string Fill(string template)
    {
        var text = new StringBuilder(template.Length + 64);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                text.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf('}', open);
            text.Append(template, i, open - i);
            var slot = template[(open + 1)..close];
            var value = Resolve(slot.ToLowerInvariant());
            text.Append(char.IsUpper(slot[0]) ? char.ToUpperInvariant(value[0]) + value[1..] : value);
            i = close + 1;
        }

        return text.ToString();
    }

    private string Resolve(string slot) => slot switch
    {
        "name" => Brief.BusinessName,
        "city" => Brief.City,
        "country" => Brief.Country,
        "industry" => Brief.Industry,
        "o1" => Brief.Offerings[0],
        "o2" => Brief.Offerings[1],
        "offers" => JoinNaturally(Brief.Offerings),
        "benefit" => _benefits[_nextBenefit++ % _benefits.Count],
        "diff" => Brief.Differentiator,
        "audience" => Brief.Audience,
        "customers" => Industry.Customers,
        "customer" => Industry.Customer,
        "staff" => Industry.Staff,
        "place" => Industry.Place,
        "tagline" => Random.Pick(Industry.Taglines),
        "adj" => NextAdjective(),
        "aadj" => WithArticle(NextAdjective()),
        "action" => Industry.ActionLabel,
        _ => throw new ArgumentException($"Unknown template slot '{{{slot}}}'.", nameof(slot)),
    };

    private string NextAdjective() => _adjectives[_nextAdjective++ % _adjectives.Count];

    private static string WithArticle(string word) => ("aeiou".Contains(word[0], StringComparison.Ordinal) ? "an " : "a ") + word;

    private static string JoinNaturally(IReadOnlyList<string> items) => items.Count switch
    {
        1 => items[0],
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}",
    };
}

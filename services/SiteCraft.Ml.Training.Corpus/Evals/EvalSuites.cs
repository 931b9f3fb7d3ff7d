using System.Globalization;
using System.Text;
using SiteCraft.Ml.Training.Corpus.Briefs;

namespace SiteCraft.Ml.Training.Corpus.Evals;

/// <summary>
/// The shipped eval suites of the three use cases, built from held-out briefs: their business names are
/// reserved for held-out briefs, so no case's prompt occurs in training for any corpus seed. Each case asks
/// with the exact prompt the model was trained on and carries the corpus writers' completion as reference.
/// </summary>
public static class EvalSuites
{
    /// <summary>
    /// The held-out seed of the shipped suites. Not the corpus seed (20261126) nor the quality check's
    /// (<see cref="QualityCheckSeed"/>), so the suites are a sample of their own.
    /// </summary>
    public const int DefaultSeed = 20261127;

    /// <summary>The quality check's held-out briefs (sitecraft-train's QualityCheck uses these); the suites skip their business names.</summary>
    public const int QualityCheckSeed = 4242;

    public const int QualityCheckBriefs = 200;

    public const int CasesPerSuite = 200;

    public const string PageSuite = "site-page-json";
    public const string SectionCopySuite = "site-section-copy";
    public const string SeoSuite = "site-seo-meta";

    // Measured with the committed tokenizer at seed 20261127: prompts take at most 99 tokens (copy 107) of the model's
    // 512, references at most 236 (page), 49 (SEO) and 58 (copy). So the longest prompt plus max_tokens is 499 and every
    // reference fits with room to spare; EvalSuitesTests checks both bounds.
    public const int PageMaxTokens = 400;
    public const int SeoMaxTokens = 120;
    public const int CopyMaxTokens = 160;

    // The catalog's limits (UseCaseCatalog); the corpus does not reference the catalog, EvalSuitesTests keeps them equal.
    public const int TitleMaxChars = 60;
    public const int DescriptionMaxChars = 160;
    public const int BodyMinChars = 40;
    public const int BodyMaxChars = 1200;

    // A description under 50 characters says too little to be worth a search result; the corpus writes 70 to 155.
    private const int DescriptionMinChars = 50;

    // Stream domain of the section picks, distinct from the corpus's own domains.
    private const ulong SectionPicks = 0x5C_E001;

    /// <summary>The three suites for a seed: page JSON and SEO meta on the same briefs, section copy on two sections of half of them.</summary>
    public static IReadOnlyList<EvalSuite> Build(int seed = DefaultSeed)
    {
        var briefs = Briefs(seed, CasesPerSuite);
        return [Page(seed, briefs), SectionCopy(seed, briefs.Take(CasesPerSuite / 2).ToList()), Seo(seed, briefs)];
    }

    /// <summary>
    /// Held-out briefs of <paramref name="seed"/> in order, skipping any whose business name an earlier one or the
    /// quality check's briefs already use, so a name identifies one case's brief and the two samples stay apart.
    /// </summary>
    public static IReadOnlyList<BusinessBrief> Briefs(int seed, int count)
    {
        var taken = SiteCorpus.HeldOutBriefs(QualityCheckSeed, QualityCheckBriefs)
            .Select(b => b.BusinessName)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        // About one brief in twenty-five is skipped (seed 20261127: 8 of the first 208), so twice the count is ample.
        var chosen = SiteCorpus.HeldOutBriefs(seed, count * 2).Where(b => taken.Add(b.BusinessName)).Take(count).ToList();
        return chosen.Count == count
            ? chosen
            : throw new InvalidOperationException($"Held-out seed {seed} gives only {chosen.Count} briefs with unused business names; {count} are needed.");
    }

    private static EvalSuite Page(int seed, IReadOnlyList<BusinessBrief> briefs)
    {
        var cases = briefs.Select((brief, i) => Case(
            $"page-{i + 1:D4}", SiteCorpus.PageJson, brief, null, [BusinessName(brief, path: null)]));
        return Suite(
            PageSuite,
            SiteCorpus.PageJson,
            "Landing page JSON, held-out briefs",
            $"{briefs.Count} held-out briefs (seed {seed}) whose business names never occur in training; expected is the page the corpus writes for the brief.",
            seed,
            0.80,
            PageMaxTokens,
            jsonOutput: true,
            [
                new("is-json"),
                new("json-schema") { Schema = "catalog" },
                new("length") { Path = "/title", Max = TitleMaxChars },
                new("rouge-l") { Name = "rouge-l", Threshold = 0.35, Weight = 0.5 },
            ],
            cases);
    }

    private static EvalSuite Seo(int seed, IReadOnlyList<BusinessBrief> briefs)
    {
        // The corpus's SEO titles always lead with the business name (EvalSuitesTests checks every reference), so the title must name it.
        var cases = briefs.Select((brief, i) => Case(
            $"seo-{i + 1:D4}", SiteCorpus.SeoMeta, brief, null, [BusinessName(brief, path: "/title")]));
        return Suite(
            SeoSuite,
            SiteCorpus.SeoMeta,
            "SEO meta, held-out briefs",
            $"The page suite's {briefs.Count} held-out briefs (seed {seed}); expected is the title and description the corpus writes for the brief.",
            seed,
            0.85,
            SeoMaxTokens,
            jsonOutput: true,
            [
                new("is-json"),
                new("json-schema") { Schema = "catalog" },
                new("length") { Name = "title-length", Path = "/title", Max = TitleMaxChars },
                new("length") { Name = "description-length", Path = "/description", Min = DescriptionMinChars, Max = DescriptionMaxChars },
                new("rouge-l") { Name = "rouge-l", Threshold = 0.3, Weight = 0.5 },
            ],
            cases);
    }

    private static EvalSuite SectionCopy(int seed, List<BusinessBrief> briefs)
    {
        var cases = new List<EvalCase>(briefs.Count * 2);
        for (var i = 0; i < briefs.Count; i++)
        {
            foreach (var section in Sections(seed, i, briefs[i]))
            {
                cases.Add(Case($"copy-{cases.Count + 1:D4}", SiteCorpus.SectionCopy, briefs[i], section, []));
            }
        }

        return Suite(
            SectionCopySuite,
            SiteCorpus.SectionCopy,
            "Section copy, held-out briefs",
            $"Two sections of each of {briefs.Count} held-out briefs (seed {seed}), the two cases of a brief in one cluster; expected is the copy the corpus writes for the section.",
            seed,
            0.85,
            CopyMaxTokens,
            jsonOutput: false,
            [
                new("length") { Min = BodyMinChars, Max = BodyMaxChars },
                new("not-regex") { Name = "not-json", Value = @"^\s*[\[{]" },
                new("not-icontains") { Value = "lorem ipsum" },
                new("rouge-l") { Name = "rouge-l", Threshold = 0.2, Weight = 0.5 },
            ],
            cases);
    }

    // Two of the brief's sections after the hero (every brief has at least two), in page order; the hero only if a brief ever has fewer.
    private static List<string> Sections(int seed, int index, BusinessBrief brief)
    {
        var candidates = brief.Sections.Count > 2 ? brief.Sections.Skip(1).ToList() : [.. brief.Sections];
        var random = CorpusRandom.For(seed, SectionPicks, index);
        return random.PickDistinct(candidates, Math.Min(2, candidates.Count));
    }

    private static EvalCase Case(string id, string useCase, BusinessBrief brief, string? section, IReadOnlyList<EvalAssertion> assertions)
    {
        var prompt = SiteCorpus.PromptFor(useCase, brief, section);
        if (prompt is not [{ Role: "system" }, { Role: "user" } user])
        {
            throw new InvalidOperationException($"{useCase}: PromptFor gave [{string.Join(", ", prompt.Select(m => m.Role))}]; a suite case holds one system and one user message.");
        }

        string[] tags = section is null ? [Slug(brief.Industry), Slug(brief.City), Slug(brief.Tone)] : [Slug(brief.Industry), Slug(brief.City), Slug(brief.Tone), Slug(section)];
        return new EvalCase(id, brief, section, tags, user.Content, SiteCorpus.ReferenceFor(useCase, brief, section), assertions);
    }

    private static EvalSuite Suite(
        string id,
        string useCase,
        string name,
        string description,
        int seed,
        double passThreshold,
        int maxTokens,
        bool jsonOutput,
        IReadOnlyList<EvalAssertion> assertions,
        IEnumerable<EvalCase> cases)
    {
        var list = cases.ToList();
        // A suite has one defaults.system; training's system message is fixed per use case, and a change to that must fail here, not skew a run.
        var systems = list.Select(c => SiteCorpus.PromptFor(useCase, c.Brief, c.Section)[0].Content).Distinct(StringComparer.Ordinal).ToList();
        if (systems.Count != 1)
        {
            throw new InvalidOperationException($"{useCase}: PromptFor gives {systems.Count} different system messages; a suite needs exactly one for defaults.system.");
        }

        return new EvalSuite(id, useCase, name, description, seed, passThreshold, systems[0], maxTokens, jsonOutput, assertions, list);
    }

    private static EvalAssertion BusinessName(BusinessBrief brief, string? path) =>
        new("icontains") { Name = "business-name", Path = path, Value = brief.BusinessName };

    /// <summary>Lower-case ASCII letters and digits, anything else one hyphen: "dental clinic" → "dental-clinic".</summary>
    private static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (char.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        return slug.ToString().TrimEnd('-');
    }
}

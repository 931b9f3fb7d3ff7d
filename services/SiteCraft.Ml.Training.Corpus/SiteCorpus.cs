using SiteCraft.Ml.Training.Corpus.Briefs;
using SiteCraft.Ml.Training.Corpus.Jsonl;
using SiteCraft.Ml.Training.Corpus.Writing;

namespace SiteCraft.Ml.Training.Corpus;

/// <summary>
/// The synthetic SiteCraft corpus. Each brief gives four examples: its page JSON, its SEO meta and
/// copy for two of its sections. Every brief and its completions come from their own SplitMix64
/// stream keyed by (seed, domain, index), so example k is the same however many are enumerated.
/// </summary>
public static class SiteCorpus
{
    public const string PageJson = "site.page.json";
    public const string SectionCopy = "site.section.copy";
    public const string SeoMeta = "site.seo.meta";

    // Stream domains: arbitrary distinct constants, so briefs, completions and held-out briefs never share a stream.
    private const ulong TrainingBriefs = 0x5C_0001;
    private const ulong TrainingCopy = 0x5C_0002;
    private const ulong HeldOutBriefStream = 0x5C_00FF;
    private const ulong ReferenceCopy = 0x5C_0003;

    private static readonly Dictionary<string, string> s_systemMessages = new(StringComparer.Ordinal)
    {
        [PageJson] = "You write SiteCraft landing pages as compact JSON matching the site.page.json schema.",
        [SeoMeta] = "You write SEO meta for SiteCraft pages as compact JSON with a title and a description.",
        [SectionCopy] = "You write marketing copy for one section of a SiteCraft page as plain text in the requested tone.",
    };

    /// <summary>Four examples per brief, lazily, in brief order: page JSON, SEO meta, then two section copies.</summary>
    public static IEnumerable<CorpusExample> Generate(int seed, int briefCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(briefCount);
        return Enumerate(seed, briefCount);
    }

    /// <summary>Briefs from their own stream and id prefix, with business names Generate never uses.</summary>
    public static IReadOnlyList<BusinessBrief> HeldOutBriefs(int seed, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return [.. Enumerable.Range(0, count).Select(i => Brief(seed, i, heldOut: true))];
    }

    /// <summary>The exact messages training uses for a use case; <paramref name="sectionType"/> is required for section copy.</summary>
    public static IReadOnlyList<ChatMessage> PromptFor(string useCase, BusinessBrief brief, string? sectionType = null)
    {
        ArgumentNullException.ThrowIfNull(brief);
        if (!s_systemMessages.TryGetValue(useCase, out var system))
        {
            throw new ArgumentException($"Unknown use case '{useCase}'. Known: {string.Join(", ", s_systemMessages.Keys)}.", nameof(useCase));
        }

        var user = brief.ToPromptText();
        if (useCase == SectionCopy)
        {
            if (string.IsNullOrEmpty(sectionType))
            {
                throw new ArgumentException("Section copy needs the section type.", nameof(sectionType));
            }

            user += $"\nWrite the {sectionType} section.";
        }

        return [new ChatMessage("system", system), new ChatMessage("user", user)];
    }

    /// <summary>
    /// The completion the corpus writers give a brief for a use case: the reference an eval compares the model's
    /// answer with. It depends only on the prompt (its wording stream is keyed by a hash of the use case and the
    /// user message, never a training stream), so the same brief always gets the same reference.
    /// </summary>
    public static string ReferenceFor(string useCase, BusinessBrief brief, string? sectionType = null)
    {
        var prompt = PromptFor(useCase, brief, sectionType);
        if (useCase == SectionCopy && !brief.Sections.Contains(sectionType, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Section '{sectionType}' is not one of {brief.Id}'s sections ({string.Join(", ", brief.Sections)}).", nameof(sectionType));
        }

        var context = new CopyContext(brief, CorpusRandom.For(0, ReferenceCopy, unchecked((long)Fnv1a($"{useCase}\n{prompt[^1].Content}"))));
        return useCase switch
        {
            PageJson => PageWriter.Write(context),
            SeoMeta => SeoWriter.Write(context),
            _ => SectionCopyWriter.Write(context, sectionType!),
        };
    }

    /// <summary>Writes one sitecraft-chat-jsonl/1 line per example (source "synthetic", fixed created_at, empty quality_signals).</summary>
    public static void WriteJsonl(IEnumerable<CorpusExample> examples, Stream output)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(output);
        ChatJsonl.Write(examples, output);
    }

    /// <summary>Reads sitecraft-chat-jsonl/1 lazily; a bad line throws <see cref="InvalidDataException"/> naming its line and field.</summary>
    public static IEnumerable<CorpusExample> ReadJsonl(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ChatJsonl.Read(input);
    }

    private static IEnumerable<CorpusExample> Enumerate(int seed, int briefCount)
    {
        for (var i = 0; i < briefCount; i++)
        {
            var brief = Brief(seed, i, heldOut: false);
            var context = new CopyContext(brief, CorpusRandom.For(seed, TrainingCopy, i));
            yield return Example($"{brief.Id}.page", PageJson, brief, null, PageWriter.Write(context));
            yield return Example($"{brief.Id}.seo", SeoMeta, brief, null, SeoWriter.Write(context));
            foreach (var section in context.Random.PickDistinct(brief.Sections, 2, keepOrder: false))
            {
                yield return Example($"{brief.Id}.copy.{section}", SectionCopy, brief, section, SectionCopyWriter.Write(context, section));
            }
        }
    }

    /// <summary>The brief behind the examples of training brief <paramref name="index"/>, for tests and tooling.</summary>
    internal static BusinessBrief TrainingBrief(int seed, int index) => Brief(seed, index, heldOut: false);

    private static BusinessBrief Brief(int seed, int index, bool heldOut)
    {
        var random = CorpusRandom.For(seed, heldOut ? HeldOutBriefStream : TrainingBriefs, index);
        return BriefFactory.Create(heldOut ? $"heldout-{index:D6}" : $"brief-{index:D6}", ref random, heldOut);
    }

    // FNV-1a (64-bit) over UTF-16 code units: fixed by its spec, unlike string.GetHashCode, which is randomised per process.
    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash;
    }

    private static CorpusExample Example(string id, string useCase, BusinessBrief brief, string? section, string completion) =>
        new(id, useCase, brief.Id, PromptFor(useCase, brief, section), completion);
}

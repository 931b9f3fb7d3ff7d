using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;
using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.LocalModel.Serving;
using SiteCraft.Ml.Training.Corpus;
using SiteCraft.Ml.Training.Corpus.Evals;

namespace SiteCraft.Ml.Training.Quality;

/// <summary>
/// The issue's quality bar, measured the way the model is served (the C# engine, greedy): for
/// held-out briefs the corpus never trains on, the share of pages that validate against the
/// catalog's site.page.json schema and of SEO meta within the catalog's length limits. The eval
/// service's suites will measure the same through the inference service; until then this is the
/// number in the model card.
/// </summary>
public static class QualityCheck
{
    // The eval suites skip these briefs' business names, so the model card's number and the suites' are separate samples.
    public const int DefaultBriefs = EvalSuites.QualityCheckBriefs;

    /// <summary>The seed of the held-out briefs; fixed so every model is measured on the same ones.</summary>
    public const int HeldOutSeed = EvalSuites.QualityCheckSeed;

    private static readonly Lazy<JsonSchema> s_pageSchema = new(() => JsonSchema.FromText(UseCaseCatalog.Get(UseCaseCatalog.PageJson).JsonSchema!));
    private static readonly Lazy<JsonSchema> s_seoSchema = new(() => JsonSchema.FromText(UseCaseCatalog.Get(UseCaseCatalog.SeoMeta).JsonSchema!));

    public static async Task<QualityReport> RunAsync(LocalModelArtifact artifact, int briefs, CancellationToken cancellationToken)
    {
        var heldOut = SiteCorpus.HeldOutBriefs(HeldOutSeed, briefs);
        var pageValid = 0;
        var seoValid = 0;
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(
            heldOut,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (brief, ct) =>
            {
                var page = await GenerateAsync(artifact, UseCaseCatalog.PageJson, brief, null, ct);
                if (PageProblem(page) is { } pageProblem)
                {
                    failures.Enqueue($"{brief.Id} site.page.json: {pageProblem}");
                }
                else
                {
                    Interlocked.Increment(ref pageValid);
                }

                var seo = await GenerateAsync(artifact, UseCaseCatalog.SeoMeta, brief, null, ct);
                if (SeoProblem(seo) is { } seoProblem)
                {
                    failures.Enqueue($"{brief.Id} site.seo.meta: {seoProblem}");
                }
                else
                {
                    Interlocked.Increment(ref seoValid);
                }
            });
        return new QualityReport(heldOut.Count, pageValid, seoValid, [.. failures.Order(StringComparer.Ordinal).Take(10)]);
    }

    /// <summary>One held-out brief per use case, for the model card.</summary>
    public static async Task<IReadOnlyList<QualitySample>> SamplesAsync(LocalModelArtifact artifact, CancellationToken cancellationToken)
    {
        var brief = SiteCorpus.HeldOutBriefs(HeldOutSeed, 1)[0];
        var samples = new List<QualitySample>();
        foreach (var (useCase, section) in new[] { (UseCaseCatalog.PageJson, (string?)null), (UseCaseCatalog.SectionCopy, brief.Sections[0]), (UseCaseCatalog.SeoMeta, null) })
        {
            var prompt = SiteCorpus.PromptFor(useCase, brief, section);
            samples.Add(new QualitySample(useCase, prompt[^1].Content, await GenerateAsync(artifact, useCase, brief, section, cancellationToken)));
        }

        return samples;
    }

    /// <summary>Why a page is not valid site.page.json, or null.</summary>
    public static string? PageProblem(string output) => SchemaProblem(output, s_pageSchema.Value);

    /// <summary>Why SEO meta is not within the catalog's limits, or null.</summary>
    public static string? SeoProblem(string output) => SchemaProblem(output, s_seoSchema.Value);

    private static string? SchemaProblem(string output, JsonSchema schema)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(output);
        }
        catch (JsonException e)
        {
            return $"not JSON ({e.Message.Split('.')[0]})";
        }

        using (document)
        {
            var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (result.IsValid)
            {
                return null;
            }

            var first = result.Details?.FirstOrDefault(d => d.Errors is { Count: > 0 });
            return first is null ? "does not match the schema" : $"{first.InstanceLocation}: {string.Join("; ", first.Errors!.Values)}";
        }
    }

    private static async Task<string> GenerateAsync(LocalModelArtifact artifact, string useCase, BusinessBrief brief, string? section, CancellationToken cancellationToken)
    {
        var messages = SiteCorpus.PromptFor(useCase, brief, section).Select(m => (m.Role, m.Content)).ToList();
        var result = await artifact.CompleteAsync(messages, new GenerationSettings { Temperature = 0, MaxTokens = artifact.Config.MaxPositionEmbeddings, TruncatePrompt = true }, cancellationToken);
        return result.Text;
    }
}

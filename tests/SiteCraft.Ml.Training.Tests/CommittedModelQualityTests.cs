using SiteCraft.Ml.LocalModel.Serving;
using SiteCraft.Ml.Training.Quality;

namespace SiteCraft.Ml.Training.Tests;

/// <summary>
/// The committed default model meets the quality bar on 200 held-out briefs, served the
/// way inference serves it (the C# engine, greedy). Until the eval suites exist, this is that
/// measurement; the model card records the same figures from the training run.
/// </summary>
public sealed class CommittedModelQualityTests
{
    private static string Artifact => Path.Combine(AppContext.BaseDirectory, "models", "sitecraft-base", "1");

    [Fact]
    public async Task The_default_model_writes_valid_pages_and_seo_meta_for_held_out_briefs()
    {
        var artifact = LocalModelArtifact.Load(Artifact);

        var report = await QualityCheck.RunAsync(artifact, QualityCheck.DefaultBriefs, CancellationToken.None);

        var failures = string.Join("\n", report.Failures);
        Assert.Equal(200, report.Briefs);
        Assert.True(report.PageValidRate >= 0.90, $"site.page.json valid for {report.PageValidRate:P1} of briefs (target 90%):\n{failures}");
        Assert.True(report.SeoWithinLimitsRate >= 0.95, $"site.seo.meta within limits for {report.SeoWithinLimitsRate:P1} of briefs (target 95%):\n{failures}");
    }

    [Fact]
    public async Task With_the_json_response_format_every_page_it_finishes_parses_as_json()
    {
        var artifact = LocalModelArtifact.Load(Artifact);
        foreach (var brief in SiteCraft.Ml.Training.Corpus.SiteCorpus.HeldOutBriefs(QualityCheck.HeldOutSeed, 20))
        {
            var messages = SiteCraft.Ml.Training.Corpus.SiteCorpus.PromptFor("site.page.json", brief).Select(m => (m.Role, m.Content)).ToList();

            var answer = await artifact.CompleteAsync(messages, new GenerationSettings { JsonOutput = true, MaxTokens = 512 });

            Assert.Equal(GenerationFinish.Stop, answer.Finish);
            using var page = System.Text.Json.JsonDocument.Parse(answer.Text);
            Assert.Equal(System.Text.Json.JsonValueKind.Object, page.RootElement.ValueKind);
        }
    }

    [Fact]
    public void The_committed_model_card_records_its_data_training_and_quality()
    {
        var card = File.ReadAllText(Path.Combine(Artifact, "model_card.md"));

        Assert.Contains("# sitecraft-base@1", card, StringComparison.Ordinal);
        Assert.Contains("**Synthetic.**", card, StringComparison.Ordinal);
        Assert.Contains("| parameters | 3,950,848 |", card, StringComparison.Ordinal);
        Assert.Contains("final validation loss", card, StringComparison.Ordinal);
        Assert.Contains("## Quality (held-out briefs", card, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(Artifact, "model.safetensors")).Length <= 25 * 1024 * 1024);
    }
}

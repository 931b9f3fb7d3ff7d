using System.Text.Json;
using SiteCraft.Ml.LocalModel.Serving;
using SiteCraft.Ml.Training.Artifacts;
using SiteCraft.Ml.Training.Data;
using SiteCraft.Ml.Training.Model;
using SiteCraft.Ml.Training.Training;

namespace SiteCraft.Ml.Training.Tests;

/// <summary>A whole (tiny) run: the artifact a standard tool and our engine can load, its card and metrics.</summary>
public sealed class TrainingRunTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sitecraft-run-").FullName;

    public TrainingRunTests() => TorchFixture.EnsureReady();

    [Fact]
    public async Task A_run_writes_a_Hugging_Face_artifact_that_the_engine_serves()
    {
        var options = new TrainingOptions
        {
            Shape = new ModelShape(VocabSize: 400, Hidden: 32, Layers: 1, Heads: 4, KvHeads: 2, Intermediate: 64, Context: 320),
            Steps = 6,
            BatchSize = 2,
            SequenceLength = 48,
            WarmupSteps = 2,
            EvalInterval = 3,
            EvalWindows = 2,
            CheckpointInterval = 3,
            Threads = 1,
        };
        var run = new TrainingRun(_directory, options, "tiny", "0.1");

        var outcome = await run.ExecuteAsync(DatasetLoader.Synthetic(seed: 2, briefs: 60), resume: false, qualityBriefs: 2, CancellationToken.None);

        Assert.All(ArtifactWriter.Files, name => Assert.True(File.Exists(Path.Combine(_directory, name)), name));
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "config.json"))))
        {
            Assert.Equal("LlamaForCausalLM", config.RootElement.GetProperty("architectures")[0].GetString());
            Assert.Equal("llama", config.RootElement.GetProperty("model_type").GetString());
            Assert.Equal(400, config.RootElement.GetProperty("vocab_size").GetInt32());
            Assert.True(config.RootElement.GetProperty("tie_word_embeddings").GetBoolean());
        }

        using (var tokenizer = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "tokenizer.json"))))
        {
            Assert.Equal("BPE", tokenizer.RootElement.GetProperty("model").GetProperty("type").GetString());
        }

        var tensors = SiteCraft.Ml.LocalModel.Engine.SafeTensorsFile.Read(Path.Combine(_directory, "model.safetensors"));
        Assert.Contains("model.embed_tokens.weight", tensors.Keys);
        Assert.Contains("model.layers.0.self_attn.q_proj.weight", tensors.Keys);
        Assert.Contains("model.layers.0.mlp.down_proj.weight", tensors.Keys);
        Assert.Contains("model.norm.weight", tensors.Keys);
        Assert.DoesNotContain("lm_head.weight", tensors.Keys);

        var artifact = LocalModelArtifact.Load(_directory);
        var answer = await artifact.CompleteAsync([("user", "Business: Test Bakery")], new GenerationSettings { MaxTokens = 5 });
        Assert.InRange(answer.CompletionTokens, 1, 5);

        var card = File.ReadAllText(Path.Combine(_directory, "model_card.md"));
        Assert.Contains("# tiny@0.1", card, StringComparison.Ordinal);
        Assert.Contains("synthetic-corpus/seed-2/briefs-60", card, StringComparison.Ordinal);
        Assert.Contains("**Synthetic.**", card, StringComparison.Ordinal);
        Assert.Contains("final validation loss", card, StringComparison.Ordinal);
        Assert.Contains("## Intended use and limits", card, StringComparison.Ordinal);
        Assert.Equal(6, outcome.Training.Steps);
        Assert.Equal(2, outcome.Quality!.Briefs);
        Assert.Equal(6L, Convert.ToInt64(outcome.Metrics["steps"], System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

using SiteCraft.Ml.LocalModel.Tokenization;
using SiteCraft.Ml.Training.Artifacts;
using SiteCraft.Ml.Training.Data;
using SiteCraft.Ml.Training.Model;
using SiteCraft.Ml.Training.Training;

namespace SiteCraft.Ml.Training.Tests;

/// <summary>Real training steps on the synthetic corpus, with a model small enough for CI.</summary>
public sealed class TrainerTests : IDisposable
{
    private static readonly ModelShape s_tiny = new(VocabSize: 512, Hidden: 64, Layers: 2, Heads: 4, KvHeads: 2, Intermediate: 128, Context: 128);
    private static readonly Lazy<(BpeTokenizer Tokenizer, TokenizedCorpus Corpus)> s_data = new(() =>
    {
        var dataset = DatasetLoader.Synthetic(seed: 5, briefs: 150);
        var tokenizer = BpeTokenizer.Train(TokenizedCorpus.Texts(dataset), s_tiny.VocabSize);
        return (tokenizer, TokenizedCorpus.Encode(dataset, tokenizer));
    });

    private readonly string _directory = Directory.CreateTempSubdirectory("sitecraft-train-").FullName;

    public TrainerTests() => TorchFixture.EnsureReady();

    private static TrainingOptions Options(int steps) => new()
    {
        Shape = s_tiny,
        Steps = steps,
        BatchSize = 4,
        SequenceLength = 64,
        WarmupSteps = 5,
        PeakLearningRate = 3e-3,
        MinLearningRate = 3e-4,
        EvalInterval = 10,
        EvalWindows = 8,
        CheckpointInterval = 5,
        Threads = 1,
    };

    [Fact]
    public void A_few_training_steps_lower_the_training_and_validation_loss()
    {
        var (model, result) = new Trainer(Options(60), _directory).Run(s_data.Value.Corpus, resume: false, progress: null, CancellationToken.None);
        model.Dispose();

        // ln(512) ≈ 6.24 at the start; the corpus is regular enough to fall well below it in 60 steps.
        Assert.InRange(result.FirstLoss, 5.5, 7.0);
        var history = string.Join(", ", result.ValidationHistory);
        Assert.Equal(6, result.ValidationHistory.Count);
        Assert.True(result.ValidationHistory[^1].ValidationLoss < result.FirstLoss - 1.0, $"first loss {result.FirstLoss:F3}; validation {history}");
        Assert.True(result.ValidationHistory[^1].ValidationLoss < result.ValidationHistory[0].ValidationLoss, history);
        Assert.True(result.TrainLoss < result.FirstLoss - 0.5, $"train loss {result.TrainLoss:F3} vs first {result.FirstLoss:F3}");
        Assert.Equal(60L * 4 * 64, result.TokensSeen);
    }

    [Fact]
    public void A_resumed_run_ends_with_exactly_the_weights_of_an_uninterrupted_one()
    {
        var straight = Path.Combine(_directory, "straight");
        var (model, _) = new Trainer(Options(10), straight).Run(s_data.Value.Corpus, resume: false, progress: null, CancellationToken.None);
        var expected = ArtifactWriter.Tensors(model);
        model.Dispose();

        var interrupted = Path.Combine(_directory, "interrupted");
        using var stop = new CancellationTokenSource();
        var progress = new Progress(p =>
        {
            if (p.Step == 5)
            {
                stop.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => new Trainer(Options(10), interrupted).Run(s_data.Value.Corpus, resume: false, progress, stop.Token));
        Assert.Equal(5, CheckpointState.TryRead(interrupted)!.Step);

        var (resumed, result) = new Trainer(Options(10), interrupted).Run(s_data.Value.Corpus, resume: true, progress: null, CancellationToken.None);
        var actual = ArtifactWriter.Tensors(resumed);
        resumed.Dispose();

        Assert.Equal(5, result.ResumedFromStep);
        Assert.Equal(10, result.Steps);
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Data, a.Data);
        }
    }

    [Fact]
    public void Resuming_with_other_options_is_refused_naming_the_checkpoint()
    {
        var (model, _) = new Trainer(Options(5), _directory).Run(s_data.Value.Corpus, resume: false, progress: null, CancellationToken.None);
        model.Dispose();

        var error = Assert.Throws<TrainingInputException>(() =>
            new Trainer(Options(5) with { PeakLearningRate = 1e-3 }, _directory).Run(s_data.Value.Corpus, resume: true, progress: null, CancellationToken.None));
        Assert.Contains("--resume", error.Message, StringComparison.Ordinal);
        Assert.Contains("checkpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_learning_rate_warms_up_linearly_then_decays_by_cosine_to_the_minimum()
    {
        var options = new TrainingOptions { Steps = 110, WarmupSteps = 10, PeakLearningRate = 1e-3, MinLearningRate = 1e-4 };
        Assert.Equal(1e-4, options.LearningRateAt(0), 12);
        Assert.Equal(1e-3, options.LearningRateAt(9), 12);
        Assert.Equal(1e-3, options.LearningRateAt(10), 12);
        Assert.Equal(5.5e-4, options.LearningRateAt(60), 12);
        Assert.Equal(1e-4, options.LearningRateAt(110), 12);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

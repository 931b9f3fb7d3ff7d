using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SiteCraft.Ml.LocalModel.Serving;
using SiteCraft.Ml.LocalModel.Tokenization;
using SiteCraft.Ml.Training.Artifacts;
using SiteCraft.Ml.Training.Data;
using SiteCraft.Ml.Training.Quality;
using Spectre.Console;

namespace SiteCraft.Ml.Training.Training;

/// <summary>
/// One run end to end: tokenizer, token streams, training, the Hugging Face artifact, samples and
/// the quality check with the C# engine (the way the model will be served), metrics.json and the
/// model card. Registration is the caller's choice.
/// </summary>
internal sealed class TrainingRun(string outputDirectory, TrainingOptions options, string name, string version)
{
    public const string MetricsFile = "metrics.json";

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public string OutputDirectory { get; } = outputDirectory;

    public string Name { get; } = name;

    public string Version { get; } = version;

    public sealed record Outcome(TrainingResult Training, QualityReport? Quality, Dictionary<string, object> Metrics);

    public async Task<Outcome> ExecuteAsync(Dataset dataset, bool resume, int qualityBriefs, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(OutputDirectory);
        Log($"data: {dataset.SnapshotId} ({dataset.Train.Count:N0} train, {dataset.Validation.Count:N0} validation examples; sha256 {dataset.Sha256[..12]}…)");

        var tokenizerPath = Path.Combine(OutputDirectory, ArtifactWriter.Tokenizer);
        BpeTokenizer tokenizer;
        if (resume && File.Exists(tokenizerPath))
        {
            tokenizer = BpeTokenizer.Load(tokenizerPath);
            Log($"tokenizer: reusing {tokenizerPath} ({tokenizer.VocabSize} tokens)");
        }
        else
        {
            var clock = Stopwatch.StartNew();
            tokenizer = BpeTokenizer.Train(TokenizedCorpus.Texts(dataset), options.Shape.VocabSize);
            tokenizer.Save(tokenizerPath);
            Log($"tokenizer: trained {tokenizer.VocabSize} tokens in {clock.Elapsed.TotalSeconds:F1} s");
        }

        if (tokenizer.VocabSize > options.Shape.VocabSize)
        {
            throw new TrainingInputException($"{tokenizerPath} has {tokenizer.VocabSize} tokens but --vocab-size is {options.Shape.VocabSize}");
        }

        var corpus = TokenizedCorpus.Encode(dataset, tokenizer);
        Log($"tokens: {corpus.Train.Length:N0} train, {corpus.Validation.Length:N0} validation; model {options.Shape.ParameterCount:N0} parameters; {options.Steps} steps × {options.BatchSize} × {options.SequenceLength} tokens");

        var trainer = new Trainer(options, OutputDirectory);
        var (model, result) = RunWithProgress(trainer, corpus, resume, cancellationToken);
        using (model)
        {
            ArtifactWriter.WriteModel(OutputDirectory, model, tokenizer, new Dictionary<string, string>
            {
                ["format"] = "pt",
                ["sitecraft.artifact"] = $"{Name}@{Version}",
                ["sitecraft.dataset_snapshot_id"] = dataset.SnapshotId,
            });
        }

        Log($"trained: {result.Steps} steps, {result.TokensSeen:N0} tokens, train loss {result.TrainLoss:F3}, validation loss {result.ValidationLoss:F3}, {result.Duration.TotalMinutes:F1} min");

        var artifact = LocalModelArtifact.Load(OutputDirectory);
        var samples = await QualityCheck.SamplesAsync(artifact, cancellationToken);
        QualityReport? quality = null;
        if (qualityBriefs > 0)
        {
            quality = await QualityCheck.RunAsync(artifact, qualityBriefs, cancellationToken);
            Log($"quality over {quality.Briefs} held-out briefs: page JSON valid {quality.PageValidRate:P1}, SEO meta within limits {quality.SeoWithinLimitsRate:P1}");
        }

        var metrics = Metrics(dataset, result, quality, options);
        await File.WriteAllTextAsync(Path.Combine(OutputDirectory, MetricsFile), JsonSerializer.Serialize(metrics, s_indented), cancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(OutputDirectory, ArtifactWriter.Card),
            ModelCard.Render(Name, Version, options, dataset, result, quality, samples),
            cancellationToken);
        Log($"artifact: {Path.GetFullPath(OutputDirectory)} ({string.Join(", ", ArtifactWriter.Describe(OutputDirectory).Select(f => $"{f.Name} {f.Bytes / 1024.0:F0} KiB"))})");
        return new Outcome(result, quality, metrics);
    }

    private static Dictionary<string, object> Metrics(Dataset dataset, TrainingResult result, QualityReport? quality, TrainingOptions options)
    {
        var metrics = new Dictionary<string, object>
        {
            ["parameters"] = options.Shape.ParameterCount,
            ["steps"] = result.Steps,
            ["tokens_seen"] = result.TokensSeen,
            ["train_loss"] = Math.Round(result.TrainLoss, 4),
            ["validation_loss"] = Math.Round(result.ValidationLoss, 4),
            ["first_loss"] = Math.Round(result.FirstLoss, 4),
            ["train_minutes"] = Math.Round(result.Duration.TotalMinutes, 2),
            ["train_tokens_per_second"] = Math.Round(result.TokensPerSecond),
            ["dataset_snapshot_id"] = dataset.SnapshotId,
            ["dataset_sha256"] = dataset.Sha256,
            ["synthetic_data"] = dataset.Synthetic,
        };
        if (quality is not null)
        {
            metrics["quality_briefs"] = quality.Briefs;
            metrics["page_json_valid_rate"] = Math.Round(quality.PageValidRate, 4);
            metrics["seo_meta_within_limits_rate"] = Math.Round(quality.SeoWithinLimitsRate, 4);
        }

        return metrics;
    }

    private (Model.LlamaForCausalLM, TrainingResult) RunWithProgress(Trainer trainer, TokenizedCorpus corpus, bool resume, CancellationToken cancellationToken)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            var lastLine = Stopwatch.StartNew();
            var progress = new SynchronousProgress(p =>
            {
                if (p.ValidationLoss is not null || p.Step == p.Steps || lastLine.Elapsed.TotalSeconds >= 30)
                {
                    Log(Trainer.Describe(p));
                    lastLine.Restart();
                }
            });
            return trainer.Run(corpus, resume, progress, cancellationToken);
        }

        (Model.LlamaForCausalLM, TrainingResult) outcome = default;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: options.Steps);
                var progress = new SynchronousProgress(p =>
                {
                    task.Description = Trainer.Describe(p).Replace("[", "[[", StringComparison.Ordinal).Replace("]", "]]", StringComparison.Ordinal);
                    task.Value = p.Step;
                });
                outcome = trainer.Run(corpus, resume, progress, cancellationToken);
            });
        return outcome;
    }

    private static void Log(string message) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss} {message}"));

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

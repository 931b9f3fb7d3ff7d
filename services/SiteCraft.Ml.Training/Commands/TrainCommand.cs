using System.Globalization;
using Npgsql;
using SiteCraft.Ml.Training.Artifacts;
using SiteCraft.Ml.Training.Data;
using SiteCraft.Ml.Training.Model;
using SiteCraft.Ml.Training.Quality;
using SiteCraft.Ml.Training.Training;

namespace SiteCraft.Ml.Training.Commands;

/// <summary><c>sitecraft-train train</c>: data → tokenizer → training → artifact → quality → model card → registration.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new TrainingOptions();
        var shape = new ModelShape();
        var output = new Option<string>("--out") { Description = "Folder for the artifact, tokenizer and checkpoint.", Required = true };
        var snapshot = new Option<string?>("--snapshot") { Description = "A dataset snapshot folder (manifest.json + <split>.jsonl) exported by `sitecraft-ml data export`. Default: the synthetic corpus." };
        var briefs = new Option<int>("--synthetic-briefs") { Description = "Briefs of the synthetic corpus (4 examples each) when no --snapshot is given.", DefaultValueFactory = _ => 12_000 };
        var corpusSeed = new Option<int>("--corpus-seed") { Description = "Seed of the synthetic corpus.", DefaultValueFactory = _ => 20261126 };
        var seed = new Option<int>("--seed") { Description = "Seed of initialisation and window sampling.", DefaultValueFactory = _ => defaults.Seed };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => defaults.Steps };
        var batch = new Option<int>("--batch-size") { Description = "Windows per step.", DefaultValueFactory = _ => defaults.BatchSize };
        var sequence = new Option<int>("--seq-len") { Description = "Tokens per window.", DefaultValueFactory = _ => defaults.SequenceLength };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => defaults.PeakLearningRate };
        var minLr = new Option<double>("--min-lr") { Description = "Learning rate at the end of the cosine decay.", DefaultValueFactory = _ => defaults.MinLearningRate };
        var warmup = new Option<int>("--warmup") { Description = "Linear warmup steps.", DefaultValueFactory = _ => defaults.WarmupSteps };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay (matrices only).", DefaultValueFactory = _ => defaults.WeightDecay };
        var clip = new Option<double>("--clip") { Description = "Gradient clipping by global norm.", DefaultValueFactory = _ => defaults.GradientClip };
        var evalInterval = new Option<int>("--eval-interval") { Description = "Steps between validation losses.", DefaultValueFactory = _ => defaults.EvalInterval };
        var checkpointInterval = new Option<int>("--checkpoint-interval") { Description = "Steps between checkpoints.", DefaultValueFactory = _ => defaults.CheckpointInterval };
        var threads = new Option<int>("--threads") { Description = "libtorch threads.", DefaultValueFactory = _ => defaults.Threads };
        var vocab = new Option<int>("--vocab-size") { Description = "BPE vocabulary size (with 6 special tokens and 256 bytes).", DefaultValueFactory = _ => shape.VocabSize };
        var hidden = new Option<int>("--hidden") { Description = "Model width.", DefaultValueFactory = _ => shape.Hidden };
        var layers = new Option<int>("--layers") { Description = "Decoder layers.", DefaultValueFactory = _ => shape.Layers };
        var heads = new Option<int>("--heads") { Description = "Attention heads.", DefaultValueFactory = _ => shape.Heads };
        var kvHeads = new Option<int>("--kv-heads") { Description = "Key/value heads (grouped-query attention).", DefaultValueFactory = _ => shape.KvHeads };
        var intermediate = new Option<int>("--intermediate") { Description = "SwiGLU inner size.", DefaultValueFactory = _ => shape.Intermediate };
        var context = new Option<int>("--context") { Description = "Context length (max_position_embeddings).", DefaultValueFactory = _ => shape.Context };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint in --out." };
        var name = new Option<string>("--name") { Description = "Artifact name.", DefaultValueFactory = _ => "sitecraft-base" };
        var version = new Option<string>("--version") { Description = "Artifact version; the model id is NAME@VERSION.", DefaultValueFactory = _ => "1" };
        var qualityBriefs = new Option<int>("--quality-briefs") { Description = "Held-out briefs for the quality check (0 skips it).", DefaultValueFactory = _ => QualityCheck.DefaultBriefs };
        var register = new Option<bool>("--register") { Description = "Register the artifact in ai_model_artifacts (needs --connection or SITECRAFT_ML_DB)." };
        var activate = new Option<bool>("--activate") { Description = "With --register: make it the artifact the local provider serves." };
        var connection = new Option<string?>("--connection") { Description = "Npgsql connection string; default $SITECRAFT_ML_DB, then $ConnectionStrings__sitecraft." };

        var command = new Command("train", "Train the from-scratch model and write its artifact.")
        {
            output, snapshot, briefs, corpusSeed, seed, steps, batch, sequence, lr, minLr, warmup, weightDecay, clip,
            evalInterval, checkpointInterval, threads, vocab, hidden, layers, heads, kvHeads, intermediate, context,
            resume, name, version, qualityBriefs, register, activate, connection,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new TrainingOptions
            {
                Shape = new ModelShape(parse.GetValue(vocab), parse.GetValue(hidden), parse.GetValue(layers), parse.GetValue(heads), parse.GetValue(kvHeads), parse.GetValue(intermediate), parse.GetValue(context)),
                Seed = parse.GetValue(seed),
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                SequenceLength = parse.GetValue(sequence),
                PeakLearningRate = parse.GetValue(lr),
                MinLearningRate = parse.GetValue(minLr),
                WarmupSteps = parse.GetValue(warmup),
                WeightDecay = parse.GetValue(weightDecay),
                GradientClip = parse.GetValue(clip),
                EvalInterval = parse.GetValue(evalInterval),
                CheckpointInterval = parse.GetValue(checkpointInterval),
                Threads = parse.GetValue(threads),
            };
            if (options.Problem() is { } problem)
            {
                throw new TrainingInputException(problem);
            }

            string? connectionString = null;
            if (parse.GetValue(register))
            {
                connectionString = ConnectionString(parse.GetValue(connection));
            }

            var run = new TrainingRun(parse.GetValue(output)!, options, parse.GetValue(name)!, parse.GetValue(version)!);
            var dataset = parse.GetValue(snapshot) is { } snapshotDirectory
                ? await DatasetLoader.FromSnapshotAsync(snapshotDirectory, cancellationToken)
                : DatasetLoader.Synthetic(parse.GetValue(corpusSeed), parse.GetValue(briefs));
            var outcome = await run.ExecuteAsync(dataset, parse.GetValue(resume), parse.GetValue(qualityBriefs), cancellationToken);
            if (connectionString is not null)
            {
                var id = await ArtifactRegistry.RegisterAsync(
                    connectionString,
                    run.Name,
                    run.Version,
                    Path.GetFullPath(run.OutputDirectory),
                    ArtifactWriter.Describe(run.OutputDirectory),
                    await File.ReadAllTextAsync(Path.Combine(run.OutputDirectory, ArtifactWriter.Config), cancellationToken),
                    outcome.Metrics,
                    dataset.SnapshotId,
                    parse.GetValue(activate),
                    cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"registered {run.Name}@{run.Version} as ai_model_artifacts.artifact_id {id}{(parse.GetValue(activate) ? " (active)" : " (candidate)")}"));
            }

            return 0;
        });
        return command;
    }

    internal static string ConnectionString(string? given)
    {
        var value = new[] { given, Environment.GetEnvironmentVariable("SITECRAFT_ML_DB"), Environment.GetEnvironmentVariable("ConnectionStrings__sitecraft") }
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))
            ?? throw new TrainingInputException("--register needs --connection (or SITECRAFT_ML_DB)");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
            return value;
        }
        catch (ArgumentException e)
        {
            throw new TrainingInputException($"--connection is not a valid connection string: {e.Message}");
        }
    }
}

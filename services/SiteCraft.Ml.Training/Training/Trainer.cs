using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SiteCraft.Ml.Training.Data;
using SiteCraft.Ml.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SiteCraft.Ml.Training.Training;

/// <summary>
/// The training loop: AdamW (decay on matrices only), linear warmup then cosine decay, gradient
/// clipping by global norm, periodic validation loss on fixed windows, and checkpoints that a
/// later run resumes from exactly (windows are a function of the step, see <see cref="WindowSampler"/>).
/// </summary>
internal sealed class Trainer(TrainingOptions options, string outputDirectory)
{
    private const int RecentWindow = 50;

    /// <summary>Runs (or resumes) training and returns the trained model; the caller disposes it.</summary>
    public (LlamaForCausalLM Model, TrainingResult Result) Run(TokenizedCorpus corpus, bool resume, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        torch.set_num_threads(options.Threads);
        manual_seed(options.Seed);
        var model = new LlamaForCausalLM(options.Shape);
        var decay = model.named_parameters().Where(p => p.parameter.dim() >= 2).Select(p => p.parameter).ToList();
        var noDecay = model.named_parameters().Where(p => p.parameter.dim() < 2).Select(p => p.parameter).ToList();
        var optimizer = optim.AdamW(
            [
                new AdamW.ParamGroup(decay, new AdamW.Options { weight_decay = options.WeightDecay }),
                new AdamW.ParamGroup(noDecay, new AdamW.Options { weight_decay = 0.0 }),
            ],
            lr: options.PeakLearningRate,
            beta1: options.Beta1,
            beta2: options.Beta2);

        var fingerprint = Fingerprint(options, corpus);
        var step = 0;
        long tokensSeen = 0;
        double? firstLoss = null;
        var recent = new List<double>();
        var history = new List<ValidationPoint>();
        var previousSeconds = 0.0;
        int? resumedFrom = null;
        if (resume && CheckpointState.TryRead(outputDirectory) is { } state)
        {
            if (state.OptionsFingerprint != fingerprint)
            {
                throw new TrainingInputException($"--resume: the checkpoint in {Path.Combine(outputDirectory, CheckpointState.FolderName)} was made with other options or data ({state.OptionsFingerprint} ≠ {fingerprint}); use a new --out or drop --resume.");
            }

            var folder = Path.Combine(outputDirectory, CheckpointState.FolderName);
            model.load(Path.Combine(folder, CheckpointState.ModelFile));
            optimizer.load_state_dict(Path.Combine(folder, CheckpointState.OptimizerFile));
            (step, tokensSeen, firstLoss, recent, history, previousSeconds) = (state.Step, state.TokensSeen, state.FirstLoss, state.RecentLosses, state.ValidationHistory, state.ElapsedSeconds);
            resumedFrom = state.Step;
        }

        var validation = WindowSampler.Validation(options.EvalWindows, options.SequenceLength, corpus.Validation, out var validationWindows);
        var clock = Stopwatch.StartNew();
        var tokensPerStep = options.BatchSize * options.SequenceLength;
        var rateClock = Stopwatch.StartNew();
        var rateTokens = 0L;
        var rate = 0.0;
        model.train();
        while (step < options.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var learningRate = options.LearningRateAt(step);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = learningRate;
            }

            double loss;
            using (NewDisposeScope())
            {
                var batch = WindowSampler.Batch(options.Seed, step, options.BatchSize, options.SequenceLength, corpus.Train);
                var value = Loss(model, batch, options.BatchSize, options.SequenceLength);
                optimizer.zero_grad();
                value.backward();
                nn.utils.clip_grad_norm_(model.parameters(), options.GradientClip);
                optimizer.step();
                loss = value.item<float>();
            }

            step++;
            tokensSeen += tokensPerStep;
            rateTokens += tokensPerStep;
            firstLoss ??= loss;
            recent.Add(loss);
            if (recent.Count > RecentWindow)
            {
                recent.RemoveAt(0);
            }

            if (rateClock.Elapsed.TotalSeconds >= 2)
            {
                rate = rateTokens / rateClock.Elapsed.TotalSeconds;
                rateTokens = 0;
                rateClock.Restart();
            }

            double? validationLoss = null;
            if (validationWindows > 0 && (step % options.EvalInterval == 0 || step == options.Steps))
            {
                validationLoss = Evaluate(model, validation, validationWindows, options.SequenceLength);
                history.Add(new ValidationPoint(step, validationLoss.Value));
            }

            progress?.Report(new TrainingProgress(step, options.Steps, recent.Average(), validationLoss, learningRate, rate == 0 ? rateTokens / Math.Max(rateClock.Elapsed.TotalSeconds, 1e-3) : rate, tokensSeen));
            if (step % options.CheckpointInterval == 0 || step == options.Steps)
            {
                SaveCheckpoint(model, optimizer, new CheckpointState(step, tokensSeen, fingerprint, firstLoss.Value, recent, history, previousSeconds + clock.Elapsed.TotalSeconds));
            }
        }

        var seconds = previousSeconds + clock.Elapsed.TotalSeconds;
        var finalValidation = history.Count > 0 ? history[^1].Loss : double.NaN;
        model.eval();
        return (model, new TrainingResult(
            step,
            tokensSeen,
            recent.Count > 0 ? recent.Average() : double.NaN,
            finalValidation,
            firstLoss ?? double.NaN,
            TimeSpan.FromSeconds(seconds),
            seconds > 0 ? (tokensSeen - (resumedFrom ?? 0) * (long)tokensPerStep) / clock.Elapsed.TotalSeconds : 0,
            resumedFrom,
            [.. history.Select(h => (h.Step, h.Loss))]));
    }

    /// <summary>Mean next-token cross-entropy of windows [rows, time + 1].</summary>
    internal static Tensor Loss(LlamaForCausalLM model, long[] windows, int rows, int time)
    {
        var tokens = tensor(windows, [rows, time + 1], ScalarType.Int64);
        var logits = model.forward(tokens.narrow(1, 0, time));
        var targets = tokens.narrow(1, 1, time).reshape(-1);
        return nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), targets);
    }

    private static double Evaluate(LlamaForCausalLM model, long[] windows, int count, int time)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var total = 0.0;
        const int Chunk = 8;
        for (var start = 0; start < count; start += Chunk)
        {
            var rows = Math.Min(Chunk, count - start);
            var slice = windows.AsSpan(start * (time + 1), rows * (time + 1)).ToArray();
            total += Loss(model, slice, rows, time).item<float>() * rows;
        }

        model.train();
        return total / count;
    }

    private void SaveCheckpoint(LlamaForCausalLM model, OptimizerHelper optimizer, CheckpointState state)
    {
        var final = Path.Combine(outputDirectory, CheckpointState.FolderName);
        var staging = final + ".new";
        var retired = final + ".old";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        model.save(Path.Combine(staging, CheckpointState.ModelFile));
        optimizer.save_state_dict(Path.Combine(staging, CheckpointState.OptimizerFile));
        state.Write(staging);
        if (Directory.Exists(retired))
        {
            Directory.Delete(retired, recursive: true);
        }

        if (Directory.Exists(final))
        {
            Directory.Move(final, retired);
        }

        Directory.Move(staging, final);
        if (Directory.Exists(retired))
        {
            Directory.Delete(retired, recursive: true);
        }
    }

    /// <summary>What a checkpoint must agree with to be resumed: the options and the exact training tokens.</summary>
    private static string Fingerprint(TrainingOptions options, TokenizedCorpus corpus)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(options.ToString()));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(corpus.Train.AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>For log lines.</summary>
    public static string Describe(TrainingProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"step {p.Step}/{p.Steps} loss {p.Loss:F3}{(p.ValidationLoss is { } v ? $" val {v:F3}" : "")} lr {p.LearningRate:E2} {p.TokensPerSecond:N0} tok/s");
}

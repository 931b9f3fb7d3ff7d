using SiteCraft.Ml.Training.Model;

namespace SiteCraft.Ml.Training.Training;

/// <summary>Everything that decides what a run computes. Two runs with equal options on the same data give the same model.</summary>
public sealed record TrainingOptions
{
    public ModelShape Shape { get; init; } = new();

    public int Seed { get; init; } = 1;

    public int Steps { get; init; } = 1600;

    public int BatchSize { get; init; } = 8;

    /// <summary>Tokens per training window; at most the model's context.</summary>
    public int SequenceLength { get; init; } = 512;

    public double PeakLearningRate { get; init; } = 3e-3;

    public double MinLearningRate { get; init; } = 3e-4;

    public int WarmupSteps { get; init; } = 60;

    public double WeightDecay { get; init; } = 0.1;

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.95;

    public double GradientClip { get; init; } = 1.0;

    public int EvalInterval { get; init; } = 100;

    /// <summary>Validation windows per evaluation (fixed, so the numbers are comparable across steps).</summary>
    public int EvalWindows { get; init; } = 24;

    public int CheckpointInterval { get; init; } = 100;

    /// <summary>libtorch intra-op threads; fixed by the options so results do not depend on the machine's core count.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Why the options are unusable, naming the option, or null.</summary>
    public string? Problem() =>
        Shape.Problem()
        ?? (Steps < 1 ? "--steps must be at least 1"
        : BatchSize < 1 ? "--batch-size must be at least 1"
        : SequenceLength < 8 || SequenceLength > Shape.Context ? $"--seq-len must be between 8 and the context ({Shape.Context})"
        : PeakLearningRate <= 0 || MinLearningRate < 0 || MinLearningRate > PeakLearningRate ? "--lr must be positive and --min-lr between 0 and --lr"
        : WarmupSteps < 0 ? "--warmup must not be negative"
        : GradientClip <= 0 ? "--clip must be positive"
        : Threads < 1 ? "--threads must be at least 1"
        : EvalInterval < 1 || CheckpointInterval < 1 ? "--eval-interval and --checkpoint-interval must be at least 1"
        : null);

    /// <summary>The learning rate at a step: linear warmup to the peak, then cosine decay to the minimum.</summary>
    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps)
        {
            return PeakLearningRate * (step + 1) / WarmupSteps;
        }

        var progress = Steps <= WarmupSteps ? 1.0 : Math.Min(1.0, (double)(step - WarmupSteps) / (Steps - WarmupSteps));
        return MinLearningRate + (0.5 * (PeakLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * progress)));
    }
}

namespace SiteCraft.Ml.Training.Training;

/// <summary>What a finished run reached; goes into the model card and ai_model_artifacts.metrics.</summary>
/// <remarks>TrainLoss is the mean training loss over the last 50 steps (or all steps when fewer).</remarks>
public sealed record TrainingResult(
    int Steps,
    long TokensSeen,
    double TrainLoss,
    double ValidationLoss,
    double FirstLoss,
    TimeSpan Duration,
    double TokensPerSecond,
    int? ResumedFromStep,
    IReadOnlyList<(int Step, double ValidationLoss)> ValidationHistory);

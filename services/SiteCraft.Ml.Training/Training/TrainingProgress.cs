namespace SiteCraft.Ml.Training.Training;

/// <summary>One step's figures, for the progress bar and the log.</summary>
public sealed record TrainingProgress(int Step, int Steps, double Loss, double? ValidationLoss, double LearningRate, double TokensPerSecond, long TokensSeen);

namespace SiteCraft.Ml.Training.Data;

/// <summary>The training input (options, snapshot, tokenizer, checkpoint) is unusable; the message says which and why.</summary>
public sealed class TrainingInputException(string message) : Exception(message);

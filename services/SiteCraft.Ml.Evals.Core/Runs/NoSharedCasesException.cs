namespace SiteCraft.Ml.Evals.Core.Runs;

/// <summary>Two runs cannot be compared: too few cases were judged in both.</summary>
public sealed class NoSharedCasesException(string message) : ArgumentException(message);

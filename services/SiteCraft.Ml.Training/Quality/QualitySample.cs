namespace SiteCraft.Ml.Training.Quality;

/// <summary>One generation shown in the model card.</summary>
public sealed record QualitySample(string UseCase, string Brief, string Output);

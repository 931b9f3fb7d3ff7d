namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>A model file or config cannot be used; the message names the file or tensor and the problem.</summary>
public sealed class ModelLoadException(string message, Exception? innerException = null) : Exception(message, innerException);

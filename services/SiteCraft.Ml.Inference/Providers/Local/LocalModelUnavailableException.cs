namespace SiteCraft.Ml.Inference.Providers.Local;

/// <summary>The local provider has no servable artifact for the request; the router falls back.</summary>
public sealed class LocalModelUnavailableException(string message) : Exception(message);

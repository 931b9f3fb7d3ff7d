namespace SiteCraft.Ml.Benchmarks.Platform;

/// <summary>The AppHost graph did not come up; the message says which resource and how.</summary>
public sealed class PlatformStartException(string message) : Exception(message);

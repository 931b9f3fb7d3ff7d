namespace SiteCraft.Ml.Benchmarks.Inference;

/// <summary>What every call asks, direct or through the service, so both send the provider the same body.</summary>
public static class BenchPrompt
{
    public const string Text = "Write two sentences for the About section of a small bakery's site.";

    public const int MaxTokens = 256;

    /// <summary>The fake server's "echo" model answers with this prefix and the last user message.</summary>
    public const string ExpectedAnswer = "echo: " + Text;
}

using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Tests;

/// <summary>The shipped docs/contracts/ai_training_examples.yaml, loaded once for the tests.</summary>
internal static class TrainingContract
{
    public static string FilePath { get; } = Path.Combine(AppContext.BaseDirectory, "contracts", "ai_training_examples.yaml");

    public static string Yaml { get; } = File.ReadAllText(FilePath);

    public static DataContract Contract { get; } = DataContractLoader.Load(File.ReadAllBytes(FilePath), FilePath);
}

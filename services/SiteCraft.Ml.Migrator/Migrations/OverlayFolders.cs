namespace SiteCraft.Ml.Migrator.Migrations;

/// <summary>Which overlay folders seed which SITECRAFT_ENVIRONMENT.</summary>
public static class OverlayFolders
{
    public static IReadOnlyList<string> Environments { get; } = ["development", "staging", "prod", "single_db"];

    public static bool IsKnown(string environment) => Environments.Contains(environment, StringComparer.Ordinal);

    /// <summary>The folder every environment gets first: the providers and models it can route to.</summary>
    public const string Common = "common";

    /// <summary>common first; single_db keeps staging and prod rows side by side (they are keyed by environment).</summary>
    public static IReadOnlyList<string> For(string environment) => environment switch
    {
        "single_db" => [Common, "staging", "prod", "single_db"],
        _ when IsKnown(environment) => [Common, environment],
        _ => throw new MigrationConfigurationException(
            $"SITECRAFT_ENVIRONMENT is '{environment}'; allowed values: {string.Join(", ", Environments)}."),
    };
}

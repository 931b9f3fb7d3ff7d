namespace SiteCraft.Ml.Migrator.Migrations;

/// <summary>Which overlays seed which SITECRAFT_ENVIRONMENT.</summary>
public static class OverlayFolders
{
    public static IReadOnlyList<string> Environments { get; } = ["development", "staging", "prod", "single_db"];

    public static bool IsKnown(string environment) => Environments.Contains(environment, StringComparer.Ordinal);

    /// <summary>The folder every database gets first: the providers and models it can route to.</summary>
    public const string Common = "common";

    /// <summary>
    /// The folder applied once per seeded environment, with the environment's name in the
    /// transaction setting <see cref="EnvironmentSetting"/>: one text for every environment.
    /// </summary>
    public const string PerEnvironment = "environment";

    public const string EnvironmentSetting = "sitecraft.environment";

    /// <summary>The environments whose rows a database gets; single_db keeps staging and prod side by side (their rows are keyed by environment).</summary>
    public static IReadOnlyList<string> Seeded(string environment) => environment switch
    {
        "single_db" => ["staging", "prod"],
        _ when IsKnown(environment) => [environment],
        _ => throw new MigrationConfigurationException(
            $"SITECRAFT_ENVIRONMENT is '{environment}'; allowed values: {string.Join(", ", Environments)}."),
    };
}

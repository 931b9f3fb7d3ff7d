namespace SiteCraft.Ml.Migrator;

public sealed class MigratorOptions
{
    public const string Section = "Migrations";
    public const string EnvironmentVariable = "SITECRAFT_ENVIRONMENT";

    /// <summary>Folder holding migrations/ and overlays/; defaults to the db/ copied beside the binary.</summary>
    public string? Root { get; set; }

    /// <summary>Which overlay to apply: development, staging, prod or single_db.</summary>
    public string Environment { get; set; } = "development";

    public string ResolveRoot() => Root ?? Path.Combine(AppContext.BaseDirectory, "db");
}

using System.Text.RegularExpressions;

namespace SiteCraft.Ml.Migrator.Migrations;

/// <summary>The ordered scripts for one environment: every schema migration, then its overlays.</summary>
public sealed partial class MigrationCatalog(string environment, IReadOnlyList<MigrationScript> scripts)
{
    public const string MigrationsFolder = "migrations";
    public const string OverlaysFolder = "overlays";
    public const string SchemaScope = "schema";

    public string Environment { get; } = environment;

    public IReadOnlyList<MigrationScript> Scripts { get; } = scripts;

    public static MigrationCatalog Load(string root, string environment)
    {
        var migrations = Path.Combine(root, MigrationsFolder);
        if (!Directory.Exists(migrations))
        {
            throw new MigrationConfigurationException($"Migrations:Root '{root}' has no {MigrationsFolder}/ folder.");
        }

        var seeded = OverlayFolders.Seeded(environment);
        var scripts = new List<MigrationScript>(ReadFolder(root, migrations, SchemaScope));
        var common = Path.Combine(root, OverlaysFolder, OverlayFolders.Common);
        if (Directory.Exists(common))
        {
            scripts.AddRange(ReadFolder(root, common, $"overlay/{OverlayFolders.Common}"));
        }

        var perEnvironment = Path.Combine(root, OverlaysFolder, OverlayFolders.PerEnvironment);
        if (Directory.Exists(perEnvironment))
        {
            foreach (var seededEnvironment in seeded)
            {
                // Journaled per environment ("overlay/prod"), so single_db applies the folder twice.
                scripts.AddRange(ReadFolder(root, perEnvironment, $"overlay/{seededEnvironment}").Select(s => s with { Environment = seededEnvironment }));
            }
        }

        return new MigrationCatalog(environment, scripts);
    }

    /// <summary>Reads NNNN_name.sql files in version order; any other .sql name is a mistake worth stopping for.</summary>
    public static IReadOnlyList<MigrationScript> ReadFolder(string root, string folder, string scope)
    {
        var scripts = new List<MigrationScript>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.sql", SearchOption.TopDirectoryOnly))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            var match = FileNamePattern().Match(Path.GetFileName(path));
            if (!match.Success)
            {
                throw new MigrationConfigurationException(
                    $"{relative}: a migration file is named NNNN_lower_snake_name.sql (four digits, an underscore, a name).");
            }

            var version = int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var duplicate = scripts.Find(s => s.Version == version);
            if (duplicate is not null)
            {
                throw new MigrationConfigurationException(
                    $"{relative}: version {version:D4} is also used by {duplicate.RelativePath}; each number is used once.");
            }

            scripts.Add(new MigrationScript(scope, version, match.Groups["name"].Value, relative, File.ReadAllText(path)));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        return scripts;
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9][a-z0-9_]*)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}

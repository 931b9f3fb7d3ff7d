using Microsoft.Extensions.Options;
using SiteCraft.Ml.Migrator.Migrations;

namespace SiteCraft.Ml.Migrator;

public sealed class MigratorOptionsValidator : IValidateOptions<MigratorOptions>
{
    public ValidateOptionsResult Validate(string? name, MigratorOptions options)
    {
        if (!OverlayFolders.IsKnown(options.Environment))
        {
            return ValidateOptionsResult.Fail(
                $"{MigratorOptions.EnvironmentVariable} is '{options.Environment}'; allowed values: {string.Join(", ", OverlayFolders.Environments)}.");
        }

        var root = options.ResolveRoot();
        return Directory.Exists(Path.Combine(root, MigrationCatalog.MigrationsFolder))
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{MigratorOptions.Section}:Root '{root}' has no {MigrationCatalog.MigrationsFolder}/ folder.");
    }
}

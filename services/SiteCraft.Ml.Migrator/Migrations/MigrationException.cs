namespace SiteCraft.Ml.Migrator.Migrations;

/// <summary>The database refused, or must not take, a migration. The message names the file.</summary>
public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The migrator is set up wrong (folder, file names, environment). Exit code 2.</summary>
public sealed class MigrationConfigurationException(string message) : Exception(message);

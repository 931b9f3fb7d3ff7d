namespace SiteCraft.Ml.Migrator.Migrations;

public sealed record MigrationResult(IReadOnlyList<MigrationScript> Applied, int AlreadyApplied);

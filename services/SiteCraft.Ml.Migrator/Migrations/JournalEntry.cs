namespace SiteCraft.Ml.Migrator.Migrations;

/// <summary>One row of the migration journal: a script that was applied, with its checksum then.</summary>
public sealed record JournalEntry(string Scope, int Version, string Name, string Checksum);

namespace SiteCraft.Ml.Migrator.Migrations;

/// <summary>The rules that decide what a run applies, kept free of I/O so they are unit-tested.</summary>
public static class MigrationPlanner
{
    /// <summary>
    /// The scripts to apply, in order: those not yet applied, and overlays whose text changed since
    /// (overlays are upserts that never overwrite, so applying one again only adds what is missing).
    /// Refuses (before anything runs) when an applied schema migration changed or is no longer in the folder.
    /// </summary>
    public static IReadOnlyList<MigrationScript> Pending(MigrationCatalog catalog, IReadOnlyList<JournalEntry> journal)
    {
        var applied = journal.ToDictionary(e => (e.Scope, e.Version));
        var scopes = catalog.Scripts.Select(s => s.Scope).ToHashSet(StringComparer.Ordinal);
        scopes.Add(MigrationCatalog.SchemaScope);

        foreach (var script in catalog.Scripts)
        {
            if (!script.IsOverlay && applied.TryGetValue((script.Scope, script.Version), out var entry) && entry.Checksum != script.Checksum)
            {
                throw new MigrationException(
                    $"{script.RelativePath} was changed after it was applied (checksum {Short(entry.Checksum)} in the database, "
                    + $"{Short(script.Checksum)} on disk). Applied migrations are never edited: restore the file and add a new migration.");
            }
        }

        var present = catalog.Scripts.Select(s => (s.Scope, s.Version)).ToHashSet();
        var missing = journal
            .Where(e => scopes.Contains(e.Scope) && !present.Contains((e.Scope, e.Version)))
            .OrderBy(e => e.Scope, StringComparer.Ordinal).ThenBy(e => e.Version)
            .FirstOrDefault();
        if (missing is not null)
        {
            throw new MigrationException(
                $"{missing.Scope} migration {missing.Version:D4}_{missing.Name}.sql was applied to this database but is missing from the folder.");
        }

        return [.. catalog.Scripts.Where(s => !applied.TryGetValue((s.Scope, s.Version), out var entry) || entry.Checksum != s.Checksum)];
    }

    private static string Short(string checksum) => checksum.Length > 12 ? checksum[..12] : checksum;
}

using System.Security.Cryptography;
using System.Text;

namespace SiteCraft.Ml.Migrator.Migrations;

/// <summary>
/// One numbered SQL file. Scope is "schema" for db/migrations, "overlay/NAME" for an overlay;
/// Environment, for a per-environment overlay, is the name it is applied with.
/// </summary>
public sealed record MigrationScript(string Scope, int Version, string Name, string RelativePath, string Sql, string? Environment = null)
{
    public bool IsOverlay => Scope != MigrationCatalog.SchemaScope;

    /// <summary>sha256 of the text with line endings normalised, so a checkout with CRLF does not look edited.</summary>
    public string Checksum { get; } = ComputeChecksum(Sql);

    public static string ComputeChecksum(string sql)
    {
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }
}

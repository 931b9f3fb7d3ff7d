using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SiteCraft.Ml.Training.Artifacts;

/// <summary>
/// Registers an artifact in ai_model_artifacts with its file hashes (the inference service
/// verifies them before serving). With <c>activate</c>, the current active artifact of the
/// provider is retired and this one becomes active in the same transaction; the local provider
/// switches to it without dropping requests in flight.
/// </summary>
public static class ArtifactRegistry
{
    private const string Upsert = """
        insert into ai_model_artifacts (name, version, provider, path, files, config, metrics, dataset_snapshot_id)
        values (@name, @version, 'sitecraft-local', @path, @files, @config, @metrics, @snapshot)
        on conflict (name, version) do update
           set path = excluded.path, files = excluded.files, config = excluded.config,
               metrics = excluded.metrics, dataset_snapshot_id = excluded.dataset_snapshot_id
        returning artifact_id
        """;

    private const string Retire = """
        update ai_model_artifacts set status = 'retired'
         where provider = 'sitecraft-local' and status = 'active' and artifact_id <> @id
        """;

    private const string Activate = """
        update ai_model_artifacts set status = 'active', activated_at = now() where artifact_id = @id
        """;

    public static async Task<long> RegisterAsync(
        string connectionString,
        string name,
        string version,
        string path,
        IReadOnlyList<ArtifactFile> files,
        string configJson,
        IReadOnlyDictionary<string, object> metrics,
        string? datasetSnapshotId,
        bool activate,
        CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long id;
        await using (var command = new NpgsqlCommand(Upsert, connection, transaction))
        {
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("version", version);
            command.Parameters.AddWithValue("path", path);
            command.Parameters.AddWithValue("files", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(files.Select(f => new { name = f.Name, sha256 = f.Sha256, bytes = f.Bytes })));
            command.Parameters.AddWithValue("config", NpgsqlDbType.Jsonb, configJson);
            command.Parameters.AddWithValue("metrics", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(metrics));
            command.Parameters.AddWithValue("snapshot", (object?)datasetSnapshotId ?? DBNull.Value);
            id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        if (activate)
        {
            foreach (var sql in new[] { Retire, Activate })
            {
                await using var command = new NpgsqlCommand(sql, connection, transaction);
                command.Parameters.AddWithValue("id", id);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return id;
    }
}

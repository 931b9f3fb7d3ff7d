using System.Diagnostics;

namespace SiteCraft.Ml.Migrator.Migrations;

/// <summary>
/// Applies pending scripts under a Postgres advisory lock, all pending scripts of a run in one
/// transaction (DDL is transactional in Postgres), so a failing file leaves the database exactly
/// as it was. Every applied file is journaled with its checksum; an applied file that changed
/// stops the run before anything is applied.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    public const string JournalTable = "sitecraft_schema_migrations";

    // Any fixed 64-bit key works; all migrators of this platform share it ("SCML" in ASCII).
    public const long AdvisoryLockKey = 0x53434D4C_00000001;

    private const string CreateJournalSql = $"""
        create table if not exists {JournalTable} (
            scope        text        not null,
            version      integer     not null,
            name         text        not null,
            checksum     text        not null,
            applied_at   timestamptz not null default now(),
            execution_ms integer     not null,
            primary key (scope, version)
        )
        """;

    private const string ReadJournalSql = $"select scope, version, name, checksum from {JournalTable}";

    private const string InsertJournalSql = $"""
        insert into {JournalTable} (scope, version, name, checksum, execution_ms)
        values ($1, $2, $3, $4, $5)
        on conflict (scope, version) do update
            set name = excluded.name, checksum = excluded.checksum, applied_at = now(), execution_ms = excluded.execution_ms
        """;

    /// <summary>
    /// What the runner needs from its data source: the failed statement on the exception (so an
    /// error names its line) and the server's detail text (the migrator's own database, not user data).
    /// </summary>
    public static void Configure(NpgsqlDataSourceBuilder builder)
    {
        builder.ConnectionStringBuilder.IncludeFailedBatchedCommand = true;
        builder.ConnectionStringBuilder.IncludeErrorDetail = true;
    }

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        Configure(builder);
        return builder.Build();
    }

    public async Task<MigrationResult> RunAsync(MigrationCatalog catalog, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await AcquireLockAsync(connection, cancellationToken);
            try
            {
                return await ApplyAsync(connection, catalog, cancellationToken);
            }
            finally
            {
                await using var unlock = new NpgsqlCommand("select pg_advisory_unlock($1)", connection);
                unlock.Parameters.AddWithValue(AdvisoryLockKey);
                await unlock.ExecuteScalarAsync(CancellationToken.None);
            }
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            throw new MigrationException($"cannot reach the database: {e.Message}", e);
        }
    }

    private async Task AcquireLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var tryLock = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection);
        tryLock.Parameters.AddWithValue(AdvisoryLockKey);
        if ((bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
        {
            return;
        }

        MigratorLog.WaitingForLock(logger);
        await using var waitLock = new NpgsqlCommand("select pg_advisory_lock($1)", connection) { CommandTimeout = 0 };
        waitLock.Parameters.AddWithValue(AdvisoryLockKey);
        await waitLock.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<MigrationResult> ApplyAsync(NpgsqlConnection connection, MigrationCatalog catalog, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(CreateJournalSql, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var journal = await ReadJournalAsync(connection, transaction, cancellationToken);
        var pending = MigrationPlanner.Pending(catalog, journal);

        var applied = new List<MigrationScript>();
        foreach (var script in pending)
        {
            var stopwatch = Stopwatch.StartNew();
            await ExecuteScriptAsync(connection, transaction, script, cancellationToken);
            await using var record = new NpgsqlCommand(InsertJournalSql, connection, transaction);
            record.Parameters.AddWithValue(script.Scope);
            record.Parameters.AddWithValue(script.Version);
            record.Parameters.AddWithValue(script.Name);
            record.Parameters.AddWithValue(script.Checksum);
            record.Parameters.AddWithValue((int)stopwatch.ElapsedMilliseconds);
            await record.ExecuteNonQueryAsync(cancellationToken);
            MigratorLog.Applied(logger, script.RelativePath, stopwatch.ElapsedMilliseconds);
            applied.Add(script);
        }

        await transaction.CommitAsync(cancellationToken);
        return new MigrationResult(applied, catalog.Scripts.Count - applied.Count);
    }

    private static async Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var read = new NpgsqlCommand(ReadJournalSql, connection, transaction);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        var entries = new List<JournalEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new JournalEntry(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3)));
        }

        return entries;
    }

    private static async Task ExecuteScriptAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, MigrationScript script, CancellationToken cancellationToken)
    {
        // One round trip, but one batch command per statement, so an error names its statement.
        var statements = SqlStatementSplitter.Split(script.Sql);
        if (statements.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = 0 };
        if (script.Environment is { } environment)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"select set_config('{OverlayFolders.EnvironmentSetting}', $1, true)") { Parameters = { new NpgsqlParameter { Value = environment } } });
        }

        var first = batch.BatchCommands.Count;
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            var failed = e.BatchCommand is { } command ? batch.BatchCommands.IndexOf(command) - first : -1;
            var offset = failed >= 0 ? statements[failed].Offset : 0;
            var (line, column) = SqlErrorLocation.Find(script.Sql, offset, e.Position);
            var detail = string.IsNullOrEmpty(e.Detail) ? "" : $" Detail: {e.Detail}";
            throw new MigrationException(
                $"{script.RelativePath}:{line}:{column}: {e.MessageText} (SQLSTATE {e.SqlState}).{detail} Nothing was applied.",
                e);
        }
    }
}

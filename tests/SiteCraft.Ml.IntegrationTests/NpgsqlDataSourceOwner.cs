using Npgsql;

namespace SiteCraft.Ml.IntegrationTests;

/// <summary>A data source a test owns and disposes.</summary>
public sealed class NpgsqlDataSourceOwner(string connectionString) : IAsyncDisposable
{
    private NpgsqlDataSource? _migratorDataSource;

    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(connectionString);

    /// <summary>The same database, configured the way the migrator process configures its own.</summary>
    public NpgsqlDataSource MigratorDataSource => _migratorDataSource ??= SiteCraft.Ml.Migrator.Migrations.MigrationRunner.CreateDataSource(connectionString);

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task<List<string>> StringsAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_migratorDataSource is not null)
        {
            await _migratorDataSource.DisposeAsync();
        }
    }
}

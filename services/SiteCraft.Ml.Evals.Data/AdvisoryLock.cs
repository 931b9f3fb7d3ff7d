using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace SiteCraft.Ml.Evals.Data;

/// <summary>
/// A Postgres session advisory lock held on a connection of its own: released when disposed, and
/// by the server when the holder's process dies, so work one replica dropped is free for another.
/// </summary>
public sealed class AdvisoryLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private AdvisoryLock(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>The lock named <paramref name="name"/>, or null when another session holds it.</summary>
    public static async Task<AdvisoryLock?> TryAcquireAsync(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        var key = KeyOf(name);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection);
            command.Parameters.AddWithValue(key);
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return new AdvisoryLock(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>A stable 64-bit key for a lock name (the first 8 bytes of its SHA-256).</summary>
    public static long KeyOf(string name) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"sitecraft:{name}")), 0);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("select pg_advisory_unlock($1)", _connection);
            command.Parameters.AddWithValue(_key);
            await command.ExecuteScalarAsync();
        }
        catch (NpgsqlException)
        {
            // The session is gone, and its locks with it.
        }
        finally
        {
            // Back in the pool, the session is reset (DISCARD ALL) before reuse, which drops any lock left.
            await _connection.DisposeAsync();
        }
    }
}

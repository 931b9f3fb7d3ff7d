using System.Net.Sockets;
using Npgsql;

namespace SiteCraft.Ml.Inference.Telemetry;

/// <summary>What a failed write means for the rows in it.</summary>
internal enum DatabaseFailure
{
    /// <summary>Not a database failure: a bug, left to surface.</summary>
    Unexpected,

    /// <summary>The server is down, restarting or unreachable: keep the rows and retry.</summary>
    Transient,

    /// <summary>
    /// The server answers but refuses the statement for a reason that is not about any row (missing
    /// table, permissions): keep the rows and retry, loudly, until someone fixes it.
    /// </summary>
    Persistent,

    /// <summary>Some row in the batch is refused for its content: split the batch to find it.</summary>
    BadRow,
}

internal static class DatabaseFailures
{
    public static DatabaseFailure Classify(Exception exception) => exception switch
    {
        PostgresException postgres => ClassifySqlState(postgres),
        NpgsqlException npgsql => npgsql.IsTransient ? DatabaseFailure.Transient : DatabaseFailure.Persistent,
        SocketException or IOException or TimeoutException => DatabaseFailure.Transient,
        // Only the writer's own give-up token cancels database work: what is left goes to the spool.
        OperationCanceledException => DatabaseFailure.Transient,
        // Npgsql refuses to encode a value (e.g. a lone UTF-16 surrogate in a body): that row only.
        ArgumentException or InvalidCastException or OverflowException => DatabaseFailure.BadRow,
        _ => DatabaseFailure.Unexpected,
    };

    private static DatabaseFailure ClassifySqlState(PostgresException postgres)
    {
        var state = postgres.SqlState;
        // 22: data exception, 23: integrity constraint violation, 54000: a value too large to index.
        if (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal) || state == "54000")
        {
            return DatabaseFailure.BadRow;
        }

        // 08: connection exceptions, 57P0x: admin/crash shutdown or still starting up, 53: out of resources.
        return postgres.IsTransient
            || state.StartsWith("08", StringComparison.Ordinal)
            || state.StartsWith("57P", StringComparison.Ordinal)
            || state.StartsWith("53", StringComparison.Ordinal)
            ? DatabaseFailure.Transient
            : DatabaseFailure.Persistent;
    }

    /// <summary>Why a row was refused, for the rejected file and the log: the server's message, never the row's data.</summary>
    public static string Reason(Exception exception) => exception is PostgresException postgres
        ? $"{postgres.SqlState}: {postgres.MessageText}"
        : $"{exception.GetType().Name}: {exception.Message}";
}

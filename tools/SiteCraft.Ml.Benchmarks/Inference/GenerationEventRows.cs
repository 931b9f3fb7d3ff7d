using Npgsql;

namespace SiteCraft.Ml.Benchmarks.Inference;

/// <summary>What the service wrote to ai_generation_events for the benchmark environment.</summary>
public sealed class GenerationEventRows(NpgsqlDataSource db)
{
    // overhead_ms is the service's time around the provider call, latency_ms the call itself; the
    // client's gRPC hop and the service's work before and after its clock are in neither.
    private const string TimingsSql =
        """
        select count(*)::int,
               percentile_cont(0.5) within group (order by overhead_ms),
               percentile_cont(0.99) within group (order by overhead_ms),
               percentile_cont(0.5) within group (order by latency_ms),
               percentile_cont(0.99) within group (order by latency_ms)
        from ai_generation_events
        where environment = $1 and status = 'ok' and started_at >= $2 and started_at < $3
        """;

    private const string CountSql = "select count(*) from ai_generation_events where environment = $1";

    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>p50 and p99 of overhead_ms and latency_ms over the successful attempts that started in [from, to).</summary>
    public async Task<ServerTimings> TimingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(TimingsSql);
        command.Parameters.AddWithValue(BenchRouting.Environment);
        command.Parameters.AddWithValue(from.ToUniversalTime());
        command.Parameters.AddWithValue(to.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ServerTimings(
            reader.GetInt32(0),
            reader.IsDBNull(1) ? double.NaN : reader.GetDouble(1),
            reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2),
            reader.IsDBNull(3) ? double.NaN : reader.GetDouble(3),
            reader.IsDBNull(4) ? double.NaN : reader.GetDouble(4));
    }

    /// <summary>Polls until the environment has <paramref name="expected"/> rows or <paramref name="timeout"/> passes; returns the last count.</summary>
    public async Task<long> WaitForCountAsync(long expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var command = db.CreateCommand(CountSql);
            command.Parameters.AddWithValue(BenchRouting.Environment);
            var found = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (found >= expected || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(s_pollInterval, cancellationToken);
        }
    }
}

/// <summary>
/// From the service's telemetry rows, in milliseconds: its own overhead per attempt, and the provider
/// call as the service timed it (latency_ms).
/// </summary>
public sealed record ServerTimings(int Rows, double OverheadP50, double OverheadP99, double ProviderP50, double ProviderP99);

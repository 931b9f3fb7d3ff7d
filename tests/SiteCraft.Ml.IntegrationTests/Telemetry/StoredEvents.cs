using Npgsql;
using SiteCraft.Ml.Inference.Telemetry;

namespace SiteCraft.Ml.IntegrationTests.Telemetry;

/// <summary>The rows of ai_generation_events read back as events, in the order the database stamped them.</summary>
public static class StoredEvents
{
    public sealed record Row(GenerationEvent Event, DateTimeOffset RecordedAt);

    private const string SelectSql = """
        select event_id, generation_id, request_id, attempt, environment, tenant_id, site_id, user_id, session_id,
               use_case, provider, request_model, response_model, policy_id, policy_version, arm, fallback_reason,
               status, error_type, finish_reason, started_at, first_token_at, completed_at, latency_ms, ttft_ms,
               overhead_ms, input_tokens, output_tokens, cost_usd, params::text, metadata::text, prompt, completion,
               prompt_sha256, completion_sha256, consent, recorded_at
        from ai_generation_events
        order by recorded_at, event_id
        """;

    public static async Task<List<Row>> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(SelectSql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
        {
            var e = new GenerationEvent
            {
                EventId = reader.GetGuid(0),
                GenerationId = reader.GetGuid(1),
                RequestId = Nullable<string>(reader, 2),
                Attempt = reader.GetInt16(3),
                Environment = reader.GetString(4),
                TenantId = Nullable<string>(reader, 5),
                SiteId = Nullable<string>(reader, 6),
                UserId = Nullable<string>(reader, 7),
                SessionId = Nullable<string>(reader, 8),
                UseCase = reader.GetString(9),
                Provider = reader.GetString(10),
                RequestModel = Nullable<string>(reader, 11),
                ResponseModel = Nullable<string>(reader, 12),
                PolicyId = NullableValue<long>(reader, 13),
                PolicyVersion = NullableValue<int>(reader, 14),
                Arm = Nullable<string>(reader, 15),
                FallbackReason = Nullable<string>(reader, 16),
                Status = reader.GetString(17),
                ErrorType = Nullable<string>(reader, 18),
                FinishReason = Nullable<string>(reader, 19),
                StartedAt = reader.GetFieldValue<DateTimeOffset>(20),
                FirstTokenAt = NullableValue<DateTimeOffset>(reader, 21),
                CompletedAt = NullableValue<DateTimeOffset>(reader, 22),
                LatencyMs = NullableValue<double>(reader, 23),
                TtftMs = NullableValue<double>(reader, 24),
                OverheadMs = NullableValue<double>(reader, 25),
                InputTokens = NullableValue<int>(reader, 26),
                OutputTokens = NullableValue<int>(reader, 27),
                CostUsd = NullableValue<decimal>(reader, 28),
                Params = Nullable<string>(reader, 29),
                Metadata = Nullable<string>(reader, 30),
                Prompt = Nullable<string>(reader, 31),
                Completion = Nullable<string>(reader, 32),
                PromptSha256 = Nullable<string>(reader, 33),
                CompletionSha256 = Nullable<string>(reader, 34),
                Consent = reader.GetBoolean(35),
            };
            rows.Add(new Row(e, reader.GetFieldValue<DateTimeOffset>(36)));
        }

        return rows;
    }

    public static async Task<long> CountAsync(string connectionString, string sql = "select count(*) from ai_generation_events")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The stored rows equal the sent events, one for one (compared by event id, every column).</summary>
    public static void AssertSameEvents(IEnumerable<GenerationEvent> sent, IEnumerable<Row> stored) =>
        Assert.Equal(sent.OrderBy(e => e.EventId), stored.Select(r => r.Event).OrderBy(e => e.EventId));

    /// <summary>Each event was stamped no earlier than the one recorded before it: no batch overtook an older one.</summary>
    public static void AssertStoredInRecordingOrder(IReadOnlyList<GenerationEvent> sent, IEnumerable<Row> stored)
    {
        var recordedAt = stored.ToDictionary(r => r.Event.EventId, r => r.RecordedAt);
        for (var i = 1; i < sent.Count; i++)
        {
            Assert.True(
                recordedAt[sent[i - 1].EventId] <= recordedAt[sent[i].EventId],
                $"Event {i} (attempt {sent[i].Attempt}) was stored before event {i - 1}, which was recorded first.");
        }
    }

    private static T? Nullable<T>(NpgsqlDataReader reader, int ordinal)
        where T : class => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    private static T? NullableValue<T>(NpgsqlDataReader reader, int ordinal)
        where T : struct => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
}

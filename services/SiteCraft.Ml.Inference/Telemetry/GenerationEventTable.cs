using Npgsql;
using NpgsqlTypes;

namespace SiteCraft.Ml.Inference.Telemetry;

/// <summary>Binary COPY of generation events into ai_generation_events, straight or idempotent.</summary>
internal sealed class GenerationEventTable(NpgsqlDataSource dataSource)
{
    // The order WriteRowAsync writes in; recorded_at is left to its default.
    private const string Columns = """
        event_id, generation_id, request_id, attempt, environment, tenant_id, site_id, user_id, session_id,
        use_case, provider, request_model, response_model, policy_id, policy_version, arm, fallback_reason,
        status, error_type, finish_reason, started_at, first_token_at, completed_at, latency_ms, ttft_ms,
        overhead_ms, input_tokens, output_tokens, cost_usd, params, metadata, prompt, completion,
        prompt_sha256, completion_sha256, consent
        """;

    private const string CopySql = $"copy ai_generation_events ({Columns}) from stdin (format binary)";

    // Dropped at commit, so a pooled connection never carries it into the next replay. The defaults
    // come along because LIKE copies recorded_at's not-null, and the COPY leaves that column out.
    private const string CreateStagingSql = "create temp table ai_generation_events_replay (like ai_generation_events including defaults) on commit drop";

    private const string CopyStagingSql = $"copy ai_generation_events_replay ({Columns}) from stdin (format binary)";

    private const string InsertFromStagingSql = $"""
        insert into ai_generation_events ({Columns})
        select {Columns} from ai_generation_events_replay
        on conflict (event_id, started_at) do nothing
        """;

    /// <summary>One COPY of rows[start..start+count]; all or nothing. Returns the rows written.</summary>
    public async Task<long> CopyAsync(IReadOnlyList<GenerationEvent> rows, int start, int count, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (long)await ImportAsync(connection, CopySql, rows, start, count, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="CopyAsync"/>, but rows already in the table are skipped, so a batch replayed after
    /// a crash between its commit and the spool's cleanup adds nothing twice. Returns the rows inserted.
    /// </summary>
    public async Task<long> CopyIdempotentAsync(IReadOnlyList<GenerationEvent> rows, int start, int count, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(CreateStagingSql, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await ImportAsync(connection, CopyStagingSql, rows, start, count, cancellationToken);
        await using var insert = new NpgsqlCommand(InsertFromStagingSql, connection, transaction);
        var inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    private static async Task<ulong> ImportAsync(
        NpgsqlConnection connection, string copySql, IReadOnlyList<GenerationEvent> rows, int start, int count, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copySql, cancellationToken);
        for (var i = start; i < start + count; i++)
        {
            await WriteRowAsync(importer, rows[i], cancellationToken);
        }

        // Disposing without completing cancels the COPY, so a failure above leaves nothing behind.
        return await importer.CompleteAsync(cancellationToken);
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter importer, GenerationEvent e, CancellationToken cancellationToken)
    {
        await importer.StartRowAsync(cancellationToken);
        await importer.WriteAsync(e.EventId, NpgsqlDbType.Uuid, cancellationToken);
        await importer.WriteAsync(e.GenerationId, NpgsqlDbType.Uuid, cancellationToken);
        await WriteAsync(importer, e.RequestId, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(e.Attempt, NpgsqlDbType.Smallint, cancellationToken);
        await importer.WriteAsync(e.Environment, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.TenantId, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.SiteId, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.UserId, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.SessionId, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(e.UseCase, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(e.Provider, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.RequestModel, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.ResponseModel, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.PolicyId, NpgsqlDbType.Bigint, cancellationToken);
        await WriteAsync(importer, e.PolicyVersion, NpgsqlDbType.Integer, cancellationToken);
        await WriteAsync(importer, e.Arm, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.FallbackReason, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(e.Status, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.ErrorType, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.FinishReason, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(e.StartedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
        await WriteAsync(importer, e.FirstTokenAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
        await WriteAsync(importer, e.CompletedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
        await WriteAsync(importer, e.LatencyMs, NpgsqlDbType.Double, cancellationToken);
        await WriteAsync(importer, e.TtftMs, NpgsqlDbType.Double, cancellationToken);
        await WriteAsync(importer, e.OverheadMs, NpgsqlDbType.Double, cancellationToken);
        await WriteAsync(importer, e.InputTokens, NpgsqlDbType.Integer, cancellationToken);
        await WriteAsync(importer, e.OutputTokens, NpgsqlDbType.Integer, cancellationToken);
        await WriteAsync(importer, e.CostUsd, NpgsqlDbType.Numeric, cancellationToken);
        await WriteAsync(importer, e.Params, NpgsqlDbType.Jsonb, cancellationToken);
        await WriteAsync(importer, e.Metadata, NpgsqlDbType.Jsonb, cancellationToken);
        await WriteAsync(importer, e.Prompt, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.Completion, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.PromptSha256, NpgsqlDbType.Text, cancellationToken);
        await WriteAsync(importer, e.CompletionSha256, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(e.Consent, NpgsqlDbType.Boolean, cancellationToken);
    }

    private static Task WriteAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } present ? importer.WriteAsync(present, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static Task WriteAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);
}

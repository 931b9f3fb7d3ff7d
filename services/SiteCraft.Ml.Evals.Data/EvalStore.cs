using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using SiteCraft.Ml.Evals.Core.Reports;
using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Core.Suites;

namespace SiteCraft.Ml.Evals.Data;

/// <summary>
/// Suites, runs, samples, the response cache and gate decisions in Postgres. Samples are written
/// one at a time as they finish and are unique per (run, case, repeat), so a run killed midway
/// keeps what it did and a resumed run never writes a sample twice.
/// </summary>
public sealed class EvalStore(NpgsqlDataSource dataSource)
{
    private const string RunColumns = """
        run_id, use_case, suite_id, suite_hash, target_provider, target_model, target_policy_version, environment, status,
        repeats, baseline_run_id, git_sha, created_at, started_at, completed_at, params::text, metadata::text
        """;

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>
    /// Records each suite version not yet in ai_eval_suites (and its cases) in one transaction per
    /// suite; an unchanged file is a no-op. Returns how many suite versions were new.
    /// </summary>
    public async Task<int> SyncSuitesAsync(IEnumerable<SuiteDefinition> suites, CancellationToken cancellationToken = default)
    {
        var added = 0;
        foreach (var suite in suites)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            await using var insert = new NpgsqlCommand(
                """
                insert into ai_eval_suites (suite_id, content_hash, use_case, name, definition, source_path)
                values ($1, $2, $3, $4, $5::jsonb, $6)
                on conflict (suite_id, content_hash) do nothing
                """, connection, tx);
            insert.Parameters.AddWithValue(suite.SuiteId);
            insert.Parameters.AddWithValue(suite.ContentHash);
            insert.Parameters.AddWithValue(suite.UseCase);
            insert.Parameters.AddWithValue((object?)suite.Name ?? DBNull.Value);
            insert.Parameters.AddWithValue(suite.ToDefinitionJson().ToJsonString());
            insert.Parameters.AddWithValue(Path.GetFileName(suite.SourcePath));
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                continue;
            }

            var cases = new JsonArray();
            foreach (var c in suite.Cases)
            {
                cases.Add(new JsonObject
                {
                    ["case_id"] = c.Id,
                    ["input"] = c.ToInputJson(),
                    ["expected"] = c.Expected,
                    ["tags"] = new JsonArray([.. c.Tags.Select(t => (JsonNode?)t)]),
                    ["cluster_id"] = c.Cluster,
                });
            }

            await using var insertCases = new NpgsqlCommand(
                """
                insert into ai_eval_cases (suite_id, content_hash, case_id, input, expected, tags, cluster_id)
                select $1, $2, x.case_id, x.input, x.expected, array(select jsonb_array_elements_text(x.tags)), x.cluster_id
                from jsonb_to_recordset($3::jsonb) as x(case_id text, input jsonb, expected text, tags jsonb, cluster_id text)
                """, connection, tx);
            insertCases.Parameters.AddWithValue(suite.SuiteId);
            insertCases.Parameters.AddWithValue(suite.ContentHash);
            insertCases.Parameters.AddWithValue(cases.ToJsonString());
            await insertCases.ExecuteNonQueryAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            added++;
        }

        return added;
    }

    /// <summary>Creates a pending run; <paramref name="parameters"/> holds everything a resumed run needs.</summary>
    public async Task<EvalRun> CreateRunAsync(
        SuiteDefinition suite, EvalTarget target, int repeats, Guid? baselineRunId, JsonObject parameters, JsonObject metadata,
        string? gitSha, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            insert into ai_eval_runs (suite_id, suite_hash, use_case, target_provider, target_model, environment, status, repeats,
                                      params, metadata, baseline_run_id, git_sha)
            values ($1, $2, $3, $4, $5, $6, 'pending', $7, $8::jsonb, $9::jsonb, $10, $11)
            returning {RunColumns}
            """);
        command.Parameters.AddWithValue(suite.SuiteId);
        command.Parameters.AddWithValue(suite.ContentHash);
        command.Parameters.AddWithValue(suite.UseCase);
        command.Parameters.Add(Text(target.Provider));
        command.Parameters.Add(Text(target.Model));
        command.Parameters.AddWithValue(target.Environment);
        command.Parameters.AddWithValue(repeats);
        command.Parameters.AddWithValue(parameters.ToJsonString());
        command.Parameters.AddWithValue(metadata.ToJsonString());
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)baselineRunId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(Text(gitSha));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadRun(reader);
    }

    public async Task<EvalRun?> GetRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"select {RunColumns} from ai_eval_runs where run_id = $1");
        command.Parameters.AddWithValue(runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRun(reader) : null;
    }

    /// <summary>The run's stored aggregates (written when it finished), or null before that.</summary>
    public async Task<RunAggregates?> GetAggregatesAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("select aggregates::text from ai_eval_runs where run_id = $1 and aggregates <> '{}'::jsonb");
        command.Parameters.AddWithValue(runId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? RunAggregates.FromJson(json) : null;
    }

    /// <summary>Pending runs and runs left running by a replica that stopped, oldest first.</summary>
    public async Task<IReadOnlyList<Guid>> OpenRunIdsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "select run_id from ai_eval_runs where status in ('pending', 'running') order by created_at limit 100");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    public async Task MarkRunningAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "update ai_eval_runs set status = 'running', started_at = coalesce(started_at, now()) where run_id = $1 and status in ('pending', 'running')");
        command.Parameters.AddWithValue(runId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Ends a run: its status, aggregates, error rate and (for a failed run) the reason in metadata.failure.</summary>
    public async Task FinishRunAsync(
        Guid runId, string status, RunAggregates? aggregates, double? errorRate, string? failure, int? policyVersion,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            update ai_eval_runs
            set status = $2, completed_at = now(), started_at = coalesce(started_at, now()),
                aggregates = coalesce($3::jsonb, aggregates), error_rate = $4,
                metadata = case when $5::text is null then metadata else metadata || jsonb_build_object('failure', $5::text) end,
                target_policy_version = coalesce($6, target_policy_version)
            where run_id = $1
            """);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(status);
        command.Parameters.Add(Text(aggregates?.ToJson()));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)errorRate ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(Text(failure is null ? null : Storable(failure)));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)policyVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>(case, repeat) of every sample the run already has.</summary>
    public async Task<HashSet<(string CaseId, int Repeat)>> DoneKeysAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("select case_id, repeat from ai_eval_samples where run_id = $1");
        command.Parameters.AddWithValue(runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new HashSet<(string, int)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return keys;
    }

    /// <summary>Counts of (samples, errored samples) so far, for progress.</summary>
    public async Task<(int Done, int Errors)> SampleCountsAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "select count(*)::int, (count(*) filter (where error is not null))::int from ai_eval_samples where run_id = $1");
        command.Parameters.AddWithValue(runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    /// <summary>Writes a sample unless (run, case, repeat) already has one; true when it was written.</summary>
    public async Task<bool> InsertSampleAsync(Guid runId, EvalSample sample, CancellationToken cancellationToken = default)
    {
        var (output, error, escaped) = TextCodec.EscapeSample(sample.Output, sample.Error);
        await using var command = dataSource.CreateCommand(
            """
            insert into ai_eval_samples (run_id, case_id, repeat, output, passed, score, scores, error, latency_ms, cost_usd,
                                         input_tokens, output_tokens, cached, escaped)
            values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, $14)
            on conflict (run_id, case_id, repeat) do nothing
            """);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(sample.CaseId);
        command.Parameters.AddWithValue(sample.Repeat);
        command.Parameters.Add(Text(output));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)sample.Passed ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)sample.Score ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.AddWithValue(ScoresJson.Serialize(sample.Scores));
        command.Parameters.Add(Text(error));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)sample.LatencyMs ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)sample.CostUsd ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)sample.InputTokens ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)sample.OutputTokens ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.AddWithValue(sample.Cached);
        command.Parameters.AddWithValue(escaped);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Every sample of a run, exact text restored, with each case's cluster id.</summary>
    public async Task<List<EvalSample>> LoadSamplesAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            select s.case_id, s.repeat, s.output, s.passed, s.score, s.scores::text, s.error, s.latency_ms, s.cost_usd,
                   s.input_tokens, s.output_tokens, s.cached, s.escaped, c.cluster_id, s.created_at
            from ai_eval_samples s
            join ai_eval_runs r on r.run_id = s.run_id
            left join ai_eval_cases c on c.suite_id = r.suite_id and c.content_hash = r.suite_hash and c.case_id = s.case_id
            where s.run_id = $1
            order by s.case_id, s.repeat
            """);
        command.Parameters.AddWithValue(runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var samples = new List<EvalSample>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var (output, error) = TextCodec.UnescapeSample(
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetBoolean(12));
            samples.Add(new EvalSample(
                reader.GetString(0),
                reader.GetInt32(1),
                output,
                reader.IsDBNull(3) ? null : reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4),
                ScoresJson.Deserialize(reader.GetString(5)),
                error,
                reader.IsDBNull(7) ? null : reader.GetDouble(7),
                reader.IsDBNull(8) ? null : reader.GetDecimal(8),
                reader.IsDBNull(9) ? null : reader.GetInt32(9),
                reader.IsDBNull(10) ? null : reader.GetInt32(10),
                reader.GetBoolean(11),
                reader.IsDBNull(13) ? null : reader.GetString(13),
                reader.GetFieldValue<DateTimeOffset>(14)));
        }

        return samples;
    }

    /// <summary>A cached response for this key, or null.</summary>
    public async Task<CachedResponse?> GetCachedAsync(string cacheKey, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "select output, escaped, finish_reason, latency_ms, input_tokens, output_tokens from ai_eval_response_cache where cache_key = $1");
        command.Parameters.AddWithValue(cacheKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new CachedResponse(
            reader.GetBoolean(1) ? TextCodec.Unescape(reader.GetString(0)) : reader.GetString(0),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetDouble(3),
            reader.IsDBNull(4) ? null : reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetInt32(5));
    }

    public async Task PutCachedAsync(string cacheKey, string useCase, string provider, string model, GenerationOutcome outcome, CancellationToken cancellationToken = default)
    {
        var (output, _, escaped) = TextCodec.EscapeSample(outcome.Text, null);
        await using var command = dataSource.CreateCommand(
            """
            insert into ai_eval_response_cache (cache_key, use_case, provider, model, output, escaped, finish_reason, latency_ms, cost_usd, input_tokens, output_tokens)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            on conflict (cache_key) do nothing
            """);
        command.Parameters.AddWithValue(cacheKey);
        command.Parameters.AddWithValue(useCase);
        command.Parameters.AddWithValue(provider);
        command.Parameters.AddWithValue(model);
        command.Parameters.AddWithValue(output!);
        command.Parameters.AddWithValue(escaped);
        command.Parameters.Add(Text(outcome.FinishReason));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.LatencyMs ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.CostUsd ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.InputTokens ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.OutputTokens ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether the environment has an active routing policy for the use case.</summary>
    /// <summary>True when a run of the nightly <paramref name="slot"/> exists, so a slot starts once.</summary>
    public async Task<bool> NightlySlotStartedAsync(string slot, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("select exists (select 1 from ai_eval_runs where metadata->>'nightly_slot' = $1)");
        command.Parameters.AddWithValue(slot);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<bool> HasActivePolicyAsync(string environment, string useCase, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("select exists (select 1 from ai_routing_active where environment = $1 and use_case = $2)");
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(useCase);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The stable arm with the largest weight in the environment's active policy: the model serving it now.</summary>
    public async Task<(string Provider, string Model)?> ServingTargetAsync(string environment, string useCase, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            select arm->>'provider', arm->>'model'
            from ai_routing_active a
            join ai_routing_policies p on p.policy_id = a.policy_id
            cross join lateral jsonb_array_elements(p.arms) arm
            where a.environment = $1 and a.use_case = $2 and arm->>'role' = 'stable'
            order by (arm->>'weight')::double precision desc
            limit 1
            """);
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(useCase);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>The latest completed run of a suite against a pinned target, other than <paramref name="excluding"/>.</summary>
    public async Task<Guid?> LatestCompletedRunAsync(string suiteId, string provider, string model, Guid excluding, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            select run_id from ai_eval_runs
            where suite_id = $1 and target_provider = $2 and target_model = $3 and status = 'completed' and run_id <> $4
            order by completed_at desc
            limit 1
            """);
        command.Parameters.AddWithValue(suiteId);
        command.Parameters.AddWithValue(provider);
        command.Parameters.AddWithValue(model);
        command.Parameters.AddWithValue(excluding);
        return await command.ExecuteScalarAsync(cancellationToken) is Guid id ? id : null;
    }

    /// <summary>Records a gate decision; returns its id.</summary>
    public async Task<long> InsertGateAsync(
        string useCase, string environment, string provider, string model, Guid runId, Guid? baselineRunId,
        string policyJson, bool passed, string reasonsJson, string metricsJson, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            insert into ai_eval_gates (use_case, environment, provider, model, run_id, baseline_run_id, policy, passed, reasons, metrics)
            values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10::jsonb)
            returning id
            """);
        command.Parameters.AddWithValue(useCase);
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(provider);
        command.Parameters.AddWithValue(model);
        command.Parameters.AddWithValue(runId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)baselineRunId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.AddWithValue(policyJson);
        command.Parameters.AddWithValue(passed);
        command.Parameters.AddWithValue(reasonsJson);
        command.Parameters.AddWithValue(metricsJson);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The synced suites (latest content hash of each) with their case counts.</summary>
    public async Task<IReadOnlyList<(string SuiteId, string Hash, string UseCase, string? Name, int Cases, string? Source)>> ListSuitesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            select distinct on (s.suite_id) s.suite_id, s.content_hash, s.use_case, s.name,
                   (select count(*)::int from ai_eval_cases c where c.suite_id = s.suite_id and c.content_hash = s.content_hash), s.source_path
            from ai_eval_suites s
            order by s.suite_id, s.synced_at desc
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var suites = new List<(string, string, string, string?, int, string?)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            suites.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return suites;
    }

    /// <summary>Human text for a column without an escape flag (a failure reason): NUL becomes U+FFFD.</summary>
    private static string Storable(string text) => text.Replace('\0', '\uFFFD');

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static EvalRun ReadRun(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetInt32(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetString(8),
        reader.GetInt32(9),
        reader.IsDBNull(10) ? null : reader.GetGuid(10),
        reader.IsDBNull(11) ? null : reader.GetString(11),
        reader.GetFieldValue<DateTimeOffset>(12),
        reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
        reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
        JsonNode.Parse(reader.GetString(15))!.AsObject(),
        JsonNode.Parse(reader.GetString(16))!.AsObject());
}

/// <summary>A response from the cache: its text, finish reason and the original call's latency and usage.</summary>
public sealed record CachedResponse(string Output, string? FinishReason, double? LatencyMs, int? InputTokens, int? OutputTokens);

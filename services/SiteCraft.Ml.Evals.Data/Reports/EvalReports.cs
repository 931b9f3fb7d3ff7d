using Npgsql;
using NpgsqlTypes;

namespace SiteCraft.Ml.Evals.Data.Reports;

/// <summary>
/// The read model of the eval reports: every read the report pages make, as parameterized SQL over
/// the eval tables and views. The runner's own reads and writes stay in <see cref="EvalStore"/>.
/// </summary>
public sealed class EvalReports(NpgsqlDataSource db)
{
    public const int PageSize = 100;

    /// <summary>How many samples the run page lists (failures first); the metrics use every sample.</summary>
    public const int SampleLimit = 500;

    /// <summary>How much of an output or error the run page shows.</summary>
    public const int ShownChars = 2000;

    private const string RunSelect = """
        select r.run_id, r.suite_id, r.suite_hash, r.use_case, r.target_provider, r.target_model,
               r.target_policy_version, r.environment, r.status, r.repeats, r.baseline_run_id, r.git_sha,
               r.created_at, r.started_at, r.completed_at,
               s.sample_count, s.error_count, s.pass_count,
               (select count(x.passed) from ai_eval_samples x where x.run_id = r.run_id) as judged_count,
               s.cached_count, s.error_rate, s.p50_latency_ms, s.p95_latency_ms, s.total_cost_usd,
               s.input_tokens, s.output_tokens
        from ai_eval_runs r
        join ai_eval_run_summary s on s.run_id = r.run_id
        """;

    private const string RunsPageSql = RunSelect + """

        where r.run_id in (
            select p.run_id from ai_eval_runs p
            where $1::timestamptz is null or p.created_at < $1
            order by p.created_at desc, p.run_id desc
            limit $2)
        order by r.created_at desc, r.run_id desc
        """;

    private const string RunsByIdSql = RunSelect + """

        where r.run_id = any($1)
        """;

    private const string ScoredSamplesSql = """
        select x.score, coalesce(c.cluster_id, x.case_id)
        from ai_eval_samples x
        join ai_eval_runs r on r.run_id = x.run_id
        left join ai_eval_cases c
               on c.suite_id = r.suite_id and c.content_hash = r.suite_hash and c.case_id = x.case_id
        where x.run_id = $1 and x.error is null and x.score is not null
        """;

    // `= 'true'` rather than a cast: an entry whose "passed" is missing or not a boolean counts as a fail, not an error.
    private const string AssertionRatesSql = """
        select a.key, count(*), count(*) filter (where a.value -> 'passed' = 'true'::jsonb)
        from ai_eval_samples x
        cross join lateral jsonb_each(x.scores) a
        where x.run_id = $1 and x.error is null
        group by a.key
        order by a.key
        """;

    private const string SamplesSql = """
        select case_id, repeat, passed, score, scores::text,
               left(error, $2), coalesce(char_length(error), 0),
               left(output, $2), coalesce(char_length(output), 0),
               escaped, latency_ms, cost_usd, cached
        from ai_eval_samples
        where run_id = $1
        order by case when passed = false then 0 when passed is null then 1 else 2 end, case_id, repeat
        limit $3
        """;

    private const string GateColumns = """
        environment, use_case, provider, model, run_id, baseline_run_id, passed, reasons::text, decided_at
        """;

    private const string LatestGateForRunSql = "select id, " + GateColumns + """

        from ai_eval_gates
        where run_id = $1
        order by decided_at desc, id desc
        limit 1
        """;

    private const string LatestGatesSql = "select gate_id, " + GateColumns + """

        from ai_eval_latest_gates
        order by environment, use_case, provider, model
        """;

    private const string OnlineScoresSql = """
        select day, use_case, name, score_count, avg_value
        from ai_eval_online_summary
        where day >= (now() at time zone 'UTC')::date - $1
        order by day desc, use_case, name
        """;

    private const string CaseMeansSql = """
        select run_id, case_id, avg(score), count(*)
        from ai_eval_samples
        where run_id = any($1) and error is null and score is not null
        group by run_id, case_id
        """;

    public async Task<IReadOnlyList<RunSummary>> RunsAsync(DateTimeOffset? before, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(RunsPageSql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = before.HasValue ? before.Value : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = PageSize });
        return await ReadRunsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<RunSummary>> RunsAsync(Guid[] runIds, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(RunsByIdSql);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = runIds });
        return await ReadRunsAsync(command, cancellationToken);
    }

    public async Task<RunSummary?> RunAsync(Guid runId, CancellationToken cancellationToken) =>
        (await RunsAsync([runId], cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<ScoredSample>> ScoredSamplesAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(ScoredSamplesSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var samples = new List<ScoredSample>();
        while (await reader.ReadAsync(cancellationToken))
        {
            samples.Add(new ScoredSample(reader.GetDouble(0), reader.GetString(1)));
        }

        return samples;
    }

    public async Task<IReadOnlyList<AssertionRate>> AssertionRatesAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(AssertionRatesSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rates = new List<AssertionRate>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rates.Add(new AssertionRate(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return rates;
    }

    public async Task<IReadOnlyList<SampleRow>> SamplesAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(SamplesSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ShownChars });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = SampleLimit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var samples = new List<SampleRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            samples.Add(new SampleRow(
                reader.GetString(0),
                reader.GetInt32(1),
                NullableBoolean(reader, 2),
                NullableDouble(reader, 3),
                reader.GetString(4),
                NullableString(reader, 5),
                reader.GetInt32(6),
                NullableString(reader, 7),
                reader.GetInt32(8),
                reader.GetBoolean(9),
                NullableDouble(reader, 10),
                reader.IsDBNull(11) ? null : reader.GetDecimal(11),
                reader.GetBoolean(12)));
        }

        return samples;
    }

    public async Task<StoredGate?> LatestGateAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(LatestGateForRunSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        return (await ReadGatesAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<StoredGate>> LatestGatesAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(LatestGatesSql);
        return await ReadGatesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<OnlineScore>> OnlineScoresAsync(int days, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(OnlineScoresSql);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var scores = new List<OnlineScore>();
        while (await reader.ReadAsync(cancellationToken))
        {
            scores.Add(new OnlineScore(
                reader.GetFieldValue<DateOnly>(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt64(3),
                NullableDouble(reader, 4)));
        }

        return scores;
    }

    public async Task<IReadOnlyList<CaseMean>> CaseMeansAsync(Guid[] runIds, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(CaseMeansSql);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = runIds });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var means = new List<CaseMean>();
        while (await reader.ReadAsync(cancellationToken))
        {
            means.Add(new CaseMean(reader.GetGuid(0), reader.GetString(1), reader.GetDouble(2), reader.GetInt64(3)));
        }

        return means;
    }

    private static async Task<IReadOnlyList<RunSummary>> ReadRunsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RunSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new RunSummary(
                reader.GetGuid(0),
                NullableString(reader, 1),
                NullableString(reader, 2),
                reader.GetString(3),
                NullableString(reader, 4),
                NullableString(reader, 5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                NullableString(reader, 7),
                reader.GetString(8),
                reader.GetInt32(9),
                reader.IsDBNull(10) ? null : reader.GetGuid(10),
                NullableString(reader, 11),
                reader.GetFieldValue<DateTimeOffset>(12),
                NullableTime(reader, 13),
                NullableTime(reader, 14),
                reader.GetInt64(15),
                reader.GetInt64(16),
                reader.GetInt64(17),
                reader.GetInt64(18),
                reader.GetInt64(19),
                NullableDouble(reader, 20),
                NullableDouble(reader, 21),
                NullableDouble(reader, 22),
                reader.GetDecimal(23),
                reader.IsDBNull(24) ? null : reader.GetInt64(24),
                reader.IsDBNull(25) ? null : reader.GetInt64(25)));
        }

        return runs;
    }

    private static async Task<IReadOnlyList<StoredGate>> ReadGatesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var gates = new List<StoredGate>();
        while (await reader.ReadAsync(cancellationToken))
        {
            gates.Add(new StoredGate(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetGuid(5),
                reader.IsDBNull(6) ? null : reader.GetGuid(6),
                reader.GetBoolean(7),
                reader.GetString(8),
                reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return gates;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static double? NullableDouble(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static bool? NullableBoolean(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetBoolean(ordinal);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}

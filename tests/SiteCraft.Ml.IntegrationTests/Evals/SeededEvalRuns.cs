using System.Text.Json;
using Npgsql;

namespace SiteCraft.Ml.IntegrationTests.Evals;

/// <summary>
/// Two runs of a four-case suite, written straight to the tables the report pages read: a baseline
/// where every case passes, and a candidate with a failure (hostile output), an error, a pass and a
/// cached pass with a long output; an empty run; a failed gate on the candidate; two online scores.
/// Names carry a suffix of their own, so the rows never meet another test's.
/// </summary>
public sealed record SeededEvalRuns(
    Guid BaselineRunId,
    Guid CandidateRunId,
    Guid EmptyRunId,
    string Environment,
    string ScoreName)
{
    public const string UseCase = "site.section.copy";
    public const string HostileOutput = """<script>alert(1)</script><img src=x onerror="alert('x')"> "quoted" & 'single'""";
    public const string GateReason = "pass rate 66.7% is below the 90% minimum";
    public const string FailedReason = "\"SiteCraft\" not found in the output";
    public const int LongOutputLength = 2500;

    public static async Task<SeededEvalRuns> InsertAsync(NpgsqlDataSource db)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var seeded = new SeededEvalRuns(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), $"test-report-{suffix}", $"brand-safety-{suffix}");
        var suite = $"report-pages-{suffix}";
        var hash = $"hash-{suffix}";

        await using var batch = db.CreateBatch();
        void Add(string sql, params object?[] values)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            batch.BatchCommands.Add(command);
        }

        Add("insert into ai_eval_suites (suite_id, content_hash, use_case, name) values ($1, $2, $3, 'Report pages')", suite, hash, UseCase);
        Add("""
            insert into ai_eval_cases (suite_id, content_hash, case_id, input, cluster_id)
            values ($1, $2, 'c1', '{"brief": "bakery"}', 'brief-a'), ($1, $2, 'c2', '{"brief": "bakery"}', 'brief-a'),
                   ($1, $2, 'c3', '{"brief": "florist"}', 'brief-b'), ($1, $2, 'c4', '{"brief": "florist"}', 'brief-b')
            """, suite, hash);
        const string Run = """
            insert into ai_eval_runs (run_id, suite_id, suite_hash, use_case, target_provider, target_model, environment, status, baseline_run_id, created_at)
            values ($1, $2, $3, $4, 'test', $5, $6, $7, $8, now() - $9 * interval '1 minute')
            """;
        Add(Run, seeded.BaselineRunId, suite, hash, UseCase, "baseline-model", seeded.Environment, "completed", null, 20);
        Add(Run, seeded.CandidateRunId, suite, hash, UseCase, "candidate-model", seeded.Environment, "completed", seeded.BaselineRunId, 10);
        Add(Run, seeded.EmptyRunId, suite, hash, UseCase, "empty-model", seeded.Environment, "pending", null, 5);

        const string Sample = """
            insert into ai_eval_samples (run_id, case_id, repeat, output, passed, score, scores, error, latency_ms, cost_usd, cached)
            values ($1, $2, 0, $3, $4, $5, $6::jsonb, $7, $8, $9, $10)
            """;
        const string Pass = """{"mentions-brand": {"type": "contains", "passed": true, "score": 1, "reason": "found"}}""";
        foreach (var caseId in new[] { "c1", "c2", "c3", "c4" })
        {
            Add(Sample, seeded.BaselineRunId, caseId, "SiteCraft bakes bread.", true, 1.0, Pass, null, 120.0, 0.0001m, false);
        }

        var failed = """
            {"mentions-brand": {"type": "contains", "passed": false, "score": 0, "reason": REASON},
             "length": {"type": "length", "passed": true, "score": 1, "reason": "within limits"}}
            """.Replace("REASON", JsonSerializer.Serialize(FailedReason), StringComparison.Ordinal);
        Add(Sample, seeded.CandidateRunId, "c1", "SiteCraft bakes bread.", true, 1.0, Pass, null, 100.0, 0.0001m, false);
        Add(Sample, seeded.CandidateRunId, "c2", HostileOutput, false, 0.2, failed, null, 140.0, 0.0001m, false);
        Add(Sample, seeded.CandidateRunId, "c3", null, null, null, "{}", "UNAVAILABLE: every candidate failed", 30.0, null, false);
        Add(Sample, seeded.CandidateRunId, "c4", "SiteCraft " + new string('x', LongOutputLength - 10), true, 0.9, Pass, null, 90.0, 0m, true);

        Add("""
            insert into ai_eval_gates (use_case, environment, provider, model, run_id, baseline_run_id, passed, reasons)
            values ($1, $2, 'test', 'candidate-model', $3, $4, false, jsonb_build_array($5::text, 'case c2 regressed by 0.800'))
            """, UseCase, seeded.Environment, seeded.CandidateRunId, seeded.BaselineRunId, GateReason);

        foreach (var value in new[] { 0.5, 1.0 })
        {
            var generation = Guid.NewGuid();
            Add("""
                insert into ai_generation_events (event_id, generation_id, attempt, environment, use_case, provider, status, started_at)
                values ($1, $2, 1, $3, $4, 'test', 'ok', now())
                """, Guid.NewGuid(), generation, seeded.Environment, UseCase);
            Add("""
                insert into ai_generation_scores (generation_id, name, value, data_type, source)
                values ($1, $2, $3, 'numeric', 'online-eval')
                """, generation, seeded.ScoreName, value);
        }

        await batch.ExecuteNonQueryAsync();
        return seeded;
    }
}

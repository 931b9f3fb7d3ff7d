using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using SiteCraft.Ml.Evals.Core.Scoring;
using SiteCraft.Ml.Evals.Core.Suites;

namespace SiteCraft.Ml.Evals.Data;

/// <summary>Which share of production generations the online evaluator scores, and how far back it looks.</summary>
public sealed class OnlineEvalOptions
{
    /// <summary>0 to 1: the share of generations scored (by a hash of the generation id).</summary>
    public double SampleRate { get; set; } = 0.1;

    /// <summary>How far back "recent" reaches.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Generations scored per pass at most.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Time between passes; zero turns the online evaluator off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Scores a deterministic sample of recent production generations with their use case's
/// reference-free assertions (the use case's suite, minus the assertions that need a reference
/// or a judge) and writes one ai_generation_scores row per assertion plus the overall score.
/// The sample is chosen by a hash of the generation id, so any number of evaluators pick the same
/// generations, and a generation scored once is never scored again.
/// </summary>
public sealed class OnlineEvaluator(NpgsqlDataSource dataSource, SuiteCatalog catalog)
{
    /// <summary>The types an online score cannot use: they need a reference output or a judge call.</summary>
    private static readonly HashSet<string> s_needsReference = new([.. AssertionScorer.ReferenceTypes, "llm-judge"], StringComparer.Ordinal);

    /// <summary>Whether a generation is in the sample: the first 32 bits of SHA-256(id as text), big-endian, below rate × 2³².</summary>
    public static bool IsSampled(Guid generationId, double rate)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(generationId.ToString()), hash);
        return BinaryPrimitives.ReadUInt32BigEndian(hash) < rate * 4294967296.0;
    }

    /// <summary>The assertions online evals use for a suite: its suite-level, reference-free ones.</summary>
    public static IReadOnlyList<Assertion> ReferenceFree(SuiteDefinition suite) =>
        AssertionNames.Assign(suite.Assertions.Where(a =>
            !s_needsReference.Contains(AssertionScorer.BaseType(a.Type))));

    /// <summary>One pass: scores the sampled, unscored generations of the window; returns how many it scored.</summary>
    public async Task<int> RunOnceAsync(OnlineEvalOptions options, CancellationToken cancellationToken)
    {
        var rate = Math.Clamp(options.SampleRate, 0, 1);
        await using var select = dataSource.CreateCommand(
            """
            select distinct on (e.generation_id) e.generation_id, e.use_case, e.completion, e.latency_ms, e.cost_usd
            from ai_generation_events e
            where e.started_at > now() - $1
              and e.status = 'ok'
              and e.completion is not null
              and ('x' || substr(encode(sha256(convert_to(e.generation_id::text, 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint < $2
              and not exists (select 1 from ai_generation_scores s where s.generation_id = e.generation_id and s.source = 'online-eval')
            order by e.generation_id, e.attempt desc
            limit $3
            """);
        select.Parameters.AddWithValue(options.Window);
        select.Parameters.AddWithValue(rate * 4294967296.0);
        select.Parameters.AddWithValue(options.BatchSize);

        var generations = new List<Guid>();
        var names = new List<string>();
        var values = new List<double>();
        var types = new List<string>();
        var comments = new List<string?>();
        var versions = new List<string>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var suite = catalog.ForUseCase(reader.GetString(1));
                if (suite is null)
                {
                    continue;
                }

                var assertions = ReferenceFree(suite);
                var score = SampleScorer.Score(
                    assertions, reader.GetString(2),
                    new SampleMeasurements(reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetDecimal(4)));
                var generation = reader.GetGuid(0);
                var version = $"{suite.SuiteId}@{suite.ContentHash[..12]}";
                foreach (var (name, result) in score.Scores)
                {
                    Add(generation, name, result.Passed ? 1 : 0, "boolean", result.Reason, version);
                }

                Add(generation, "score", score.Score, "numeric", null, version);
            }
        }

        if (names.Count == 0)
        {
            return 0;
        }

        await using var insert = dataSource.CreateCommand(
            """
            insert into ai_generation_scores (generation_id, name, value, data_type, source, comment, evaluator_version)
            select g, n, v, t, 'online-eval', c, ev from unnest($1, $2, $3, $4, $5, $6) as x(g, n, v, t, c, ev)
            on conflict (generation_id, name, source) do nothing
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = generations.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        insert.Parameters.Add(new NpgsqlParameter { Value = names.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        insert.Parameters.Add(new NpgsqlParameter { Value = types.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = comments.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = versions.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return generations.Distinct().Count();

        void Add(Guid generation, string name, double value, string type, string? comment, string version)
        {
            generations.Add(generation);
            names.Add(name);
            values.Add(value);
            types.Add(type);
            // Reasons are human text; Postgres text cannot hold U+0000.
            comments.Add(comment?.Replace('\0', '\uFFFD'));
            versions.Add(version);
        }
    }
}

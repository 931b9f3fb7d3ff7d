using System.Collections.Frozen;
using Npgsql;
using SiteCraft.Ml.Inference.Providers;

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>Reads the active policies, provider settings, prices and passing gates in one round trip.</summary>
public sealed class RoutingSnapshotLoader(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string PoliciesSql = """
        select p.policy_id, p.environment, p.use_case, p.version, p.salt,
               p.arms::text, p.fallback::text, p.settings::text, a.previous_policy_id
        from ai_routing_active a
        join ai_routing_policies p on p.policy_id = a.policy_id
        """;

    private const string ProvidersSql = """
        select s.environment, s.provider, p.kind, s.base_url, s.api_key_setting, s.enabled
        from ai_provider_settings s
        join ai_providers p on p.provider = s.provider
        """;

    private const string ModelsSql = """
        select provider, model, input_usd_per_mtok, output_usd_per_mtok, context_window, max_output_tokens
        from ai_models
        """;

    private const string PassingGatesSql = """
        select environment, use_case, provider, model
        from ai_eval_latest_gates
        where passed
        """;

    public async Task<RoutingSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(PoliciesSql),
                new NpgsqlBatchCommand(ProvidersSql),
                new NpgsqlBatchCommand(ModelsSql),
                new NpgsqlBatchCommand(PassingGatesSql),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        var policies = new Dictionary<(string, string), ActivePolicy>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var policy = ReadPolicy(reader);
            policies[(policy.Environment, policy.UseCase)] = new ActivePolicy(policy, reader.IsDBNull(8) ? null : reader.GetInt64(8));
        }

        await reader.NextResultAsync(cancellationToken);
        var providers = new Dictionary<(string, string), ProviderConfig>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var config = new ProviderConfig(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetBoolean(5));
            providers[(config.Environment, config.Provider)] = config;
        }

        await reader.NextResultAsync(cancellationToken);
        var models = new Dictionary<(string, string), ModelInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var model = new ModelInfo(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetDecimal(2),
                reader.GetDecimal(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5));
            models[(model.Provider, model.Model)] = model;
        }

        await reader.NextResultAsync(cancellationToken);
        var gates = new HashSet<GateKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            gates.Add(new GateKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return new RoutingSnapshot(
            policies.ToFrozenDictionary(),
            providers.ToFrozenDictionary(),
            models.ToFrozenDictionary(),
            gates.ToFrozenSet(),
            time.GetUtcNow());
    }

    /// <summary>Reads columns policy_id, environment, use_case, version, salt, arms, fallback, settings (in that order).</summary>
    public static RoutingPolicy ReadPolicy(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetInt32(3),
        reader.GetString(4),
        PolicyJson.ParseArms(reader.GetString(5)),
        PolicyJson.ParseFallback(reader.GetString(6)),
        PolicyJson.ParseSettings(reader.GetString(7)));
}

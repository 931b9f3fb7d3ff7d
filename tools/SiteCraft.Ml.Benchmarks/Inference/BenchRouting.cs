using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace SiteCraft.Ml.Benchmarks.Inference;

/// <summary>
/// The benchmark's own routing environment: an OpenAI-compatible provider pointing at the fake server,
/// its "echo" model, and a policy with one stable arm, published the way an overlay publishes one.
/// </summary>
public sealed class BenchRouting(NpgsqlDataSource db, HttpClient admin)
{
    public const string Environment = "bench";
    public const string UseCase = "site.section.copy";
    public const string Provider = "bench-openai";
    public const string Model = "echo";

    /// <summary>The configuration key holding the fake server's API key in the service.</summary>
    public const string ApiKeySetting = "Providers:test:ApiKey";

    private const string RegisterProviderSql =
        """
        insert into ai_providers (provider, kind, display_name) values ($1, 'openai-compatible', 'Benchmark fake OpenAI-compatible server')
        on conflict (provider) do nothing
        """;

    private const string ProviderSettingsSql =
        """
        insert into ai_provider_settings (environment, provider, base_url, api_key_setting) values ($1, $2, $3, $4)
        on conflict (environment, provider) do update set base_url = excluded.base_url, api_key_setting = excluded.api_key_setting
        """;

    private const string RegisterModelSql =
        "insert into ai_models (provider, model, input_usd_per_mtok, output_usd_per_mtok) values ($1, $2, 1, 2) on conflict do nothing";

    private const string InsertPolicySql =
        """
        insert into ai_routing_policies (environment, use_case, version, salt, arms, fallback, settings, created_by)
        select $1, $2, coalesce(max(version), 0) + 1, $1 || ':' || $2, $3::jsonb, '[]'::jsonb, '{}'::jsonb, 'benchmark'
        from ai_routing_policies where environment = $1 and use_case = $2
        returning policy_id, version
        """;

    private const string ActivatePolicySql =
        """
        insert into ai_routing_active (environment, use_case, policy_id, updated_by) values ($1, $2, $3, 'benchmark')
        on conflict (environment, use_case) do update set previous_policy_id = ai_routing_active.policy_id, policy_id = excluded.policy_id
        """;

    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Registers the provider at <paramref name="baseUrl"/> and activates the policy; returns its version.</summary>
    public async Task<int> PublishAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, RegisterProviderSql, cancellationToken, Provider);
        await ExecuteAsync(connection, ProviderSettingsSql, cancellationToken, Environment, Provider, baseUrl.ToString().TrimEnd('/'), ApiKeySetting);
        await ExecuteAsync(connection, RegisterModelSql, cancellationToken, Provider, Model);

        var arms = new JsonArray(new JsonObject { ["provider"] = Provider, ["model"] = Model, ["weight"] = 100, ["role"] = "stable" });
        long policyId;
        int version;
        await using (var insert = new NpgsqlCommand(InsertPolicySql, connection, tx))
        {
            insert.Parameters.AddWithValue(Environment);
            insert.Parameters.AddWithValue(UseCase);
            insert.Parameters.AddWithValue(arms.ToJsonString());
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            policyId = reader.GetInt64(0);
            version = reader.GetInt32(1);
        }

        await ExecuteAsync(connection, ActivatePolicySql, cancellationToken, Environment, UseCase, policyId);
        await tx.CommitAsync(cancellationToken);
        return version;
    }

    /// <summary>Polls POST /admin/routing/explain until the service routes the use case by <paramref name="version"/>.</summary>
    public async Task WaitUntilRoutedAsync(int version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var query = new { environment = Environment, use_case = UseCase, tenant_id = "bench-tenant", site_id = "bench-site" };
        while (true)
        {
            using var response = await admin.PostAsJsonAsync("/admin/routing/explain", query, cancellationToken);
            response.EnsureSuccessStatusCode();
            var explained = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
            if (explained?["policy_version"]?.GetValue<int?>() == version)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the service did not route {Environment}/{UseCase} by policy v{version} within {timeout.TotalSeconds:0} s: {explained}");
            }

            await Task.Delay(s_pollInterval, cancellationToken);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

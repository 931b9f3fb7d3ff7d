using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SiteCraft.Ml.FakeProviders;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.IntegrationTests.Inference;

/// <summary>
/// One test's own routing environment on the shared platform: the fake providers registered for it,
/// policies published into it, a gRPC client and an admin HTTP client for the inference service.
/// </summary>
public sealed class InferenceScope : IAsyncDisposable
{
    public const string OpenAIProvider = "test-openai";
    public const string AnthropicProvider = "test-anthropic";

    private readonly GrpcChannel _channel;

    private InferenceScope(PlatformFixture platform, string environment, FakeProviderServer openAI, FakeProviderServer anthropic,
        NpgsqlDataSourceOwner db, GrpcChannel channel, HttpClient admin, string adminToken)
    {
        Platform = platform;
        Environment = environment;
        OpenAI = openAI;
        Anthropic = anthropic;
        Db = db;
        _channel = channel;
        Client = new GenerationService.GenerationServiceClient(channel);
        Admin = admin;
        AdminToken = adminToken;
    }

    public PlatformFixture Platform { get; }

    public string Environment { get; }

    public FakeProviderServer OpenAI { get; }

    public FakeProviderServer Anthropic { get; }

    public NpgsqlDataSourceOwner Db { get; }

    public GenerationService.GenerationServiceClient Client { get; }

    /// <summary>HTTP client on the inference "http" endpoint with the admin token set.</summary>
    public HttpClient Admin { get; }

    public string AdminToken { get; }

    public Metadata AdminHeaders => new() { { "authorization", $"Bearer {AdminToken}" } };

    /// <summary>A fresh environment named "test-…" (or "test-gated-…", where every arm needs an eval gate).</summary>
    public static async Task<InferenceScope> CreateAsync(PlatformFixture platform, bool gated = false)
    {
        var environment = $"{(gated ? "test-gated" : "test")}-{Guid.NewGuid():N}"[..(gated ? 22 : 16)];
        var openAI = await FakeProviderServer.StartOpenAIAsync(PlatformFixture.TestProviderKey);
        var anthropic = await FakeProviderServer.StartAnthropicAsync(PlatformFixture.TestProviderKey);
        var db = await platform.OpenDatabaseAsync();
        await RegisterProvidersAsync(db, environment, openAI, anthropic);

        var grpc = platform.App.GetEndpoint("inference", "grpc");
        var channel = GrpcChannel.ForAddress(grpc);
        var admin = new HttpClient { BaseAddress = platform.App.GetEndpoint("inference", "http") };
        var token = await AdminTokenAsync(platform);
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new InferenceScope(platform, environment, openAI, anthropic, db, channel, admin, token);
    }

    public static async Task<string> AdminTokenAsync(PlatformFixture platform)
    {
        var parameter = platform.App.Services.GetRequiredService<DistributedApplicationModel>()
            .Resources.OfType<ParameterResource>().Single(p => p.Name == "inference-admin-token");
        return await parameter.GetValueAsync(CancellationToken.None) ?? throw new InvalidOperationException("no admin token");
    }

    /// <summary>
    /// Publishes a policy straight into the tables (as an overlay would) and waits until the service
    /// routes by it. Models are registered in ai_models on the way, priced $1 / $2 per million tokens.
    /// </summary>
    public async Task<long> ActivateAsync(string useCase, object[] arms, object[]? fallback = null, object? settings = null)
    {
        await RegisterModelsAsync(arms.Concat(fallback ?? []));
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        long policyId;
        await using (var insert = new NpgsqlCommand(
            """
            insert into ai_routing_policies (environment, use_case, version, salt, arms, fallback, settings, created_by)
            select $1, $2, coalesce(max(version), 0) + 1, $1 || ':' || $2, $3::jsonb, $4::jsonb, $5::jsonb, 'test'
            from ai_routing_policies where environment = $1 and use_case = $2
            returning policy_id
            """, connection)
        {
            Parameters =
            {
                new() { Value = Environment },
                new() { Value = useCase },
                new() { Value = JsonSerializer.Serialize(arms) },
                new() { Value = JsonSerializer.Serialize(fallback ?? []) },
                new() { Value = JsonSerializer.Serialize(settings ?? new { }) },
            },
        })
        {
            policyId = (long)(await insert.ExecuteScalarAsync())!;
        }

        await using (var activate = new NpgsqlCommand(
            """
            insert into ai_routing_active (environment, use_case, policy_id, updated_by) values ($1, $2, $3, 'test')
            on conflict (environment, use_case) do update set previous_policy_id = ai_routing_active.policy_id, policy_id = excluded.policy_id
            """, connection)
        {
            Parameters = { new() { Value = Environment }, new() { Value = useCase }, new() { Value = policyId } },
        })
        {
            await activate.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        await WaitForPolicyAsync(useCase, policyId);
        return policyId;
    }

    /// <summary>Polls the explain endpoint until the service routes <paramref name="useCase"/> by <paramref name="policyId"/>.</summary>
    public async Task WaitForPolicyAsync(string useCase, long policyId, TimeSpan? timeout = null)
    {
        var version = await Db.ScalarAsync<int>("select version from ai_routing_policies where policy_id = $1", policyId);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var explained = await ExplainAsync(useCase, "tenant", "site");
            if (explained["policy_version"]?.GetValue<int?>() == version)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the service did not route {Environment}/{useCase} by v{version} in time: {explained}");
            }

            await Task.Delay(50);
        }
    }

    public async Task<JsonNode> ExplainAsync(string useCase, string tenant, string site)
    {
        using var response = await Admin.PostAsJsonAsync("/admin/routing/explain", new { environment = Environment, use_case = useCase, tenant_id = tenant, site_id = site });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    public static object Arm(string provider, string model, double weight = 100, string role = "stable") =>
        new { provider, model, weight, role };

    public static object Target(string provider, string model) => new { provider, model };

    public GenerateRequest Request(string useCase, string text, string? site = null, Action<GenerateRequest>? configure = null)
    {
        var request = new GenerateRequest
        {
            Environment = Environment,
            UseCase = useCase,
            TenantId = "tenant-1",
            SiteId = site ?? "site-1",
            UserId = "user-1",
            Messages = { new Message { Role = Role.User, Text = text } },
        };
        configure?.Invoke(request);
        return request;
    }

    /// <summary>Rows of ai_generation_events for this scope, in attempt order.</summary>
    public async Task<List<EventRow>> EventsAsync(string? generationId = null)
    {
        await using var command = Db.DataSource.CreateCommand(
            """
            select generation_id::text, attempt, provider, request_model, arm, status, error_type, fallback_reason,
                   input_tokens, output_tokens, cost_usd, policy_version, prompt, completion, prompt_sha256, completion_sha256
            from ai_generation_events
            where environment = $1 and ($2::text is null or generation_id::text = $2)
            order by started_at, attempt
            """);
        command.Parameters.AddWithValue(Environment);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)generationId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<EventRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new EventRow(
                reader.GetString(0), reader.GetInt16(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetInt32(8),
                reader.IsDBNull(9) ? null : reader.GetInt32(9), reader.IsDBNull(10) ? null : reader.GetDecimal(10),
                reader.IsDBNull(11) ? null : reader.GetInt32(11), reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.IsDBNull(13) ? null : reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetString(14),
                reader.IsDBNull(15) ? null : reader.GetString(15)));
        }

        return rows;
    }

    /// <summary>Waits until this scope has <paramref name="count"/> event rows (telemetry is written in batches).</summary>
    public async Task<List<EventRow>> WaitForEventsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var rows = await EventsAsync();
            if (rows.Count >= count || DateTime.UtcNow > deadline)
            {
                return rows;
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        Admin.Dispose();
        await OpenAI.DisposeAsync();
        await Anthropic.DisposeAsync();
        await Db.DisposeAsync();
    }

    /// <summary>Registers a model in ai_models (priced $1 / $2 per million tokens), so a pinned route or eval may name it.</summary>
    public Task RegisterModelAsync(string provider, string model) => RegisterModelsAsync([Target(provider, model)]);

    private async Task RegisterModelsAsync(IEnumerable<object> targets)
    {
        foreach (var target in targets)
        {
            var node = JsonSerializer.SerializeToNode(target)!;
            await using var command = Db.DataSource.CreateCommand(
                "insert into ai_models (provider, model, input_usd_per_mtok, output_usd_per_mtok) values ($1, $2, 1, 2) on conflict do nothing");
            command.Parameters.AddWithValue(node["provider"]!.GetValue<string>());
            command.Parameters.AddWithValue(node["model"]!.GetValue<string>());
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task RegisterProvidersAsync(NpgsqlDataSourceOwner db, string environment, FakeProviderServer openAI, FakeProviderServer anthropic)
    {
        await using var command = db.DataSource.CreateCommand(
            """
            insert into ai_providers (provider, kind, display_name) values
                ($1, 'openai-compatible', 'Test OpenAI-compatible server'), ($2, 'anthropic', 'Test Anthropic server')
            on conflict (provider) do nothing;
            """);
        command.Parameters.AddWithValue(OpenAIProvider);
        command.Parameters.AddWithValue(AnthropicProvider);
        await command.ExecuteNonQueryAsync();

        await using var settings = db.DataSource.CreateCommand(
            """
            insert into ai_provider_settings (environment, provider, base_url, api_key_setting) values
                ($1, $2, $3, 'Providers:test:ApiKey'), ($1, $4, $5, 'Providers:test:ApiKey')
            """);
        settings.Parameters.AddWithValue(environment);
        settings.Parameters.AddWithValue(OpenAIProvider);
        settings.Parameters.AddWithValue(openAI.BaseUrl.ToString().TrimEnd('/'));
        settings.Parameters.AddWithValue(AnthropicProvider);
        settings.Parameters.AddWithValue(anthropic.BaseUrl.ToString().TrimEnd('/'));
        await settings.ExecuteNonQueryAsync();
    }
}

public sealed record EventRow(
    string GenerationId, short Attempt, string Provider, string? RequestModel, string? Arm, string Status, string? ErrorType,
    string? FallbackReason, int? InputTokens, int? OutputTokens, decimal? CostUsd, int? PolicyVersion, string? Prompt,
    string? Completion, string? PromptSha256, string? CompletionSha256);

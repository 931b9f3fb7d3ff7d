using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.AI;
using SiteCraft.Ml.Inference.Routing;

namespace SiteCraft.Ml.Inference.Providers;

/// <summary>
/// Every provider this replica can call: a chat client per (environment, provider, model), built on
/// first use from ai_provider_settings and the API key named there, plus one circuit breaker per
/// (environment, provider). Keys are read from configuration only and never logged.
/// </summary>
public sealed class ProviderRegistry : IDisposable
{
    /// <summary>Name of the ActivitySource and Meter the GenAI client spans and metrics come from.</summary>
    public const string ClientTelemetrySource = "SiteCraft.Ml.Inference.Providers";

    private readonly FrozenDictionary<string, IProviderClientFactory> _factories;
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<ClientKey, IChatClient> _clients = new();
    private readonly ConcurrentDictionary<(string Environment, string Provider), CircuitBreaker> _breakers = new();

    public ProviderRegistry(IEnumerable<IProviderClientFactory> factories, IConfiguration configuration, TimeProvider time)
    {
        _factories = factories.ToFrozenDictionary(f => f.Kind, StringComparer.Ordinal);
        _configuration = configuration;
        _time = time;
        // One pooled handler for every provider; no HttpClientFactory defaults (their retries and
        // timeouts would sit under the router's own fallback and deadline).
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Why the provider cannot serve right now, or null when it can.</summary>
    public string? DisabledReason(ProviderConfig? config)
    {
        if (config is null)
        {
            return "not configured for this environment (no ai_provider_settings row)";
        }

        if (!config.Enabled)
        {
            return "disabled in ai_provider_settings";
        }

        if (!_factories.TryGetValue(config.Kind, out var factory))
        {
            return $"no engine for provider kind '{config.Kind}' is installed in this build";
        }

        return factory.DisabledReason(config, ApiKeyOf(config));
    }

    /// <summary>The chat client for one model of an enabled provider.</summary>
    public IChatClient ClientFor(ProviderConfig config, string model) =>
        _clients.GetOrAdd(new ClientKey(config, model), static (key, registry) => registry.Build(key), this);

    public CircuitBreaker BreakerFor(string environment, string provider, BreakerSettings settings)
    {
        var breaker = _breakers.GetOrAdd((environment, provider), static (_, state) => new CircuitBreaker(state.settings, state.time), (settings, time: _time));
        breaker.Update(settings);
        return breaker;
    }

    public CircuitState CircuitOf(string environment, string provider) =>
        _breakers.TryGetValue((environment, provider), out var breaker) ? breaker.State : CircuitState.Closed;

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _http.Dispose();
    }

    private string? ApiKeyOf(ProviderConfig config) =>
        config.ApiKeySetting is { Length: > 0 } setting ? _configuration[setting] : null;

    private IChatClient Build(ClientKey key)
    {
        var factory = _factories[key.Config.Kind];
        var inner = factory.Create(key.Config, ApiKeyOf(key.Config), key.Model, _http);
        // GenAI semantic-convention CLIENT spans and metrics per attempt; bodies are never recorded.
        return inner.AsBuilder()
            .UseOpenTelemetry(sourceName: ClientTelemetrySource, configure: otel => otel.EnableSensitiveData = false)
            .Build();
    }

    // The whole config is part of the key: a changed base URL or key setting gets a new client.
    private readonly record struct ClientKey(ProviderConfig Config, string Model);
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using SiteCraft.Ml.LocalModel.Engine;
using SiteCraft.Ml.LocalModel.Serving;

namespace SiteCraft.Ml.Inference.Providers.Local;

/// <summary>
/// Keeps the local provider's artifacts loaded. At start it registers the artifact shipped with the
/// service when the provider has no active one (so a fresh database serves at once), then follows
/// ai_model_artifacts: the active artifact serves every request for the provider's models, and a
/// promotion swaps it in without touching calls in flight (each holds the artifact it started with).
/// A registered candidate named exactly by a request (an eval's pinned route) is loaded on demand.
/// Every file is checked against its registered sha256 before it serves. A missing or corrupt
/// artifact leaves the provider disabled with the reason, and the service serves other providers.
/// All sequences share one scheduler: a bounded number run, a bounded number wait, the rest are refused.
/// </summary>
public sealed partial class LocalModelHost(NpgsqlDataSource dataSource, IOptions<LocalModelOptions> options, ILogger<LocalModelHost> logger) : BackgroundService
{
    private const string Provider = LocalChatClient.ProviderName;

    private const string ListSql = """
        select artifact_id, name, version, path, files::text, status
          from ai_model_artifacts
         where provider = @provider and status <> 'retired'
         order by artifact_id
        """;

    private const string RegisterBundledSql = """
        insert into ai_model_artifacts (name, version, provider, path, files, config, metrics, dataset_snapshot_id, status, activated_at)
        select @name, @version, @provider, @path, @files, @config, @metrics, @snapshot, 'active', now()
         where not exists (select 1 from ai_model_artifacts where provider = @provider and status = 'active')
        on conflict do nothing
        """;

    private readonly LocalModelOptions _options = options.Value;
    private readonly ConcurrentDictionary<long, Lazy<LoadResult>> _loaded = new();
    private readonly EngineScheduler _scheduler = new(options.Value.MaxConcurrentSequences, options.Value.MaxQueued);
    private volatile Registered[] _registered = [];
    private volatile ServedArtifact? _active;
    private volatile string? _problem = "the local model is not loaded yet";

    /// <summary>Why the provider cannot serve, or null when an active artifact is loaded.</summary>
    public string? Problem => _active is null ? _problem : null;

    /// <summary>The active artifact's model id, when one is loaded.</summary>
    public string? ActiveModelId => _active?.ModelId;

    /// <summary>The artifact for a requested model: that exact registered candidate, else the active artifact.</summary>
    /// <exception cref="LocalModelUnavailableException">Nothing is loaded, or the candidate cannot be.</exception>
    public ServedArtifact Resolve(string model)
    {
        var active = _active;
        if (active is not null && active.ModelId == model)
        {
            return active;
        }

        var candidate = Array.Find(_registered, r => r.ModelId == model && r.Status == "candidate");
        if (candidate is not null)
        {
            var loaded = Load(candidate);
            return loaded.Served ?? throw new LocalModelUnavailableException($"{candidate.ModelId}: {loaded.Problem}");
        }

        return active ?? throw new LocalModelUnavailableException(Problem ?? "no active artifact");
    }

    /// <summary>Looks up the registered artifacts once and swaps in a newly active one.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var registered = await ListAsync(cancellationToken);
        _registered = [.. registered];
        var active = registered.FirstOrDefault(r => r.Status == "active");
        if (active is null)
        {
            _active = null;
            _problem = $"no active artifact for {Provider} in ai_model_artifacts";
            return;
        }

        if (_active?.ModelId == active.ModelId && _loaded.TryGetValue(active.Id, out var current) && current.IsValueCreated && current.Value.Served == _active)
        {
            return;
        }

        var result = Load(active);
        if (result.Served is null)
        {
            // Keep serving nothing rather than a model that was not promoted: routing falls back.
            _active = null;
            _problem = $"active artifact {active.ModelId} cannot be served: {result.Problem}";
            _loaded.TryRemove(active.Id, out _);
            LogLoadFailed(active.ModelId, result.Problem!);
            return;
        }

        var previous = _active;
        _active = result.Served;
        LogServing(active.ModelId, previous?.ModelId ?? "none", result.Served.Artifact.Model.ParameterCount);
        foreach (var stale in _loaded.Keys.Where(id => registered.All(r => r.Id != id)).ToList())
        {
            _loaded.TryRemove(stale, out _);
        }
    }

    /// <summary>Registers the shipped artifact as active when the provider has none.</summary>
    public async Task RegisterBundledAsync(CancellationToken cancellationToken)
    {
        var relative = _options.BundledArtifact;
        var directory = Path.Combine(_options.ResolveRoot(), relative);
        if (!Directory.Exists(directory))
        {
            LogNoBundled(directory);
            return;
        }

        var files = Directory.GetFiles(directory)
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                using var stream = File.OpenRead(path);
                return new { name = Path.GetFileName(path), sha256 = Convert.ToHexStringLower(SHA256.HashData(stream)), bytes = new FileInfo(path).Length };
            })
            .ToList();
        var metricsPath = Path.Combine(directory, "metrics.json");
        var metrics = File.Exists(metricsPath) ? await File.ReadAllTextAsync(metricsPath, cancellationToken) : "{}";
        using var metricsDocument = JsonDocument.Parse(metrics);
        var snapshot = metricsDocument.RootElement.TryGetProperty("dataset_snapshot_id", out var id) ? id.GetString() : null;
        var parts = relative.Split('/', 2);

        await using var command = dataSource.CreateCommand(RegisterBundledSql);
        command.Parameters.AddWithValue("name", parts[0]);
        command.Parameters.AddWithValue("version", parts.Length > 1 ? parts[1] : "1");
        command.Parameters.AddWithValue("provider", Provider);
        command.Parameters.AddWithValue("path", relative);
        command.Parameters.AddWithValue("files", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(files));
        command.Parameters.AddWithValue("config", NpgsqlDbType.Jsonb, await File.ReadAllTextAsync(Path.Combine(directory, LocalModelArtifact.ConfigFile), cancellationToken));
        command.Parameters.AddWithValue("metrics", NpgsqlDbType.Jsonb, metrics);
        command.Parameters.AddWithValue("snapshot", (object?)snapshot ?? DBNull.Value);
        try
        {
            if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
            {
                LogRegisteredBundled(relative);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another replica registered it first.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var registeredBundled = false;
        using var timer = new PeriodicTimer(_options.RefreshInterval);
        do
        {
            try
            {
                if (!registeredBundled)
                {
                    await RegisterBundledAsync(stoppingToken);
                    registeredBundled = true;
                }

                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // Keep serving what is loaded; the next tick retries.
                if (_active is null)
                {
                    _problem = $"cannot read ai_model_artifacts: {e.Message}";
                }

                LogRefreshFailed(e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private LoadResult Load(Registered artifact) =>
        _loaded.GetOrAdd(artifact.Id, _ => new Lazy<LoadResult>(() => LoadNow(artifact))).Value;

    private LoadResult LoadNow(Registered artifact)
    {
        var directory = Path.IsPathRooted(artifact.Path) ? artifact.Path : Path.Combine(_options.ResolveRoot(), artifact.Path);
        try
        {
            var loaded = LocalModelArtifact.Load(directory, new EngineOptions { Threads = _options.ThreadsPerSequence }, artifact.Sha256ByFile, _scheduler);
            return new LoadResult(new ServedArtifact(artifact.ModelId, loaded), null);
        }
        catch (Exception e) when (e is ModelLoadException or IOException or UnauthorizedAccessException or JsonException)
        {
            return new LoadResult(null, e.Message);
        }
    }

    private async Task<List<Registered>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ListSql);
        command.Parameters.AddWithValue("provider", Provider);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<Registered>();
        while (await reader.ReadAsync(cancellationToken))
        {
            using var files = JsonDocument.Parse(reader.GetString(4));
            var hashes = files.RootElement.EnumerateArray()
                .Where(f => f.TryGetProperty("name", out _) && f.TryGetProperty("sha256", out _))
                .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("sha256").GetString()!, StringComparer.Ordinal);
            list.Add(new Registered(reader.GetInt64(0), $"{reader.GetString(1)}@{reader.GetString(2)}", reader.GetString(3), hashes, reader.GetString(5)));
        }

        return list;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Local model: serving {Model} (was {Previous}), {Parameters} parameters")]
    private partial void LogServing(string model, string previous, long parameters);

    [LoggerMessage(Level = LogLevel.Error, Message = "Local model: {Model} cannot be served: {Problem}")]
    private partial void LogLoadFailed(string model, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local model: registered the shipped artifact {Artifact} as active")]
    private partial void LogRegisteredBundled(string artifact);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local model: no shipped artifact at {Directory}")]
    private partial void LogNoBundled(string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local model: cannot read ai_model_artifacts: {Problem}")]
    private partial void LogRefreshFailed(string problem);

    private sealed record Registered(long Id, string ModelId, string Path, IReadOnlyDictionary<string, string> Sha256ByFile, string Status);

    private sealed record LoadResult(ServedArtifact? Served, string? Problem);
}

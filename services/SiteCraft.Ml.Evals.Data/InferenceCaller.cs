using System.Diagnostics;
using Grpc.Core;
using SiteCraft.Ml.Evals.Core.Suites;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Evals.Data;

/// <summary>
/// Calls the inference service for evals: a pinned route (with the admin token) or the routing
/// policy, backing off on RESOURCE_EXHAUSTED and UNAVAILABLE. A failure becomes an outcome with
/// the status code and message; nothing here throws for a failed generation.
/// </summary>
public sealed class InferenceCaller(GenerationService.GenerationServiceClient client, string? adminToken, InferenceCallOptions? options = null)
{
    private readonly InferenceCallOptions _options = options ?? new InferenceCallOptions();

    public GenerationService.GenerationServiceClient Client => client;

    /// <summary>One generation. <paramref name="requestId"/> makes a retried call idempotent in the service.</summary>
    public async Task<GenerationOutcome> GenerateAsync(
        EvalTarget target, string useCase, SuiteDefaults defaults, IReadOnlyList<SuiteMessage> messages, string requestId,
        IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var request = new GenerateRequest
        {
            RequestId = requestId,
            Environment = target.Environment,
            UseCase = useCase,
            TenantId = "sitecraft-evals",
            // Sticky assignment is per (tenant, site): one "site" per request spreads a policy run across arms like traffic.
            SiteId = requestId,
            UserId = "evals",
            SystemInstructions = defaults.System ?? "",
            Params = ParamsOf(defaults),
        };
        foreach (var message in messages)
        {
            request.Messages.Add(new Message { Role = message.Role == "assistant" ? Role.Assistant : Role.User, Text = message.Text });
        }

        foreach (var (key, value) in metadata)
        {
            request.Metadata[key] = value;
        }

        if (target.IsPinned)
        {
            request.Routing = new RoutingHints { Pinned = new PinnedRoute { Provider = target.Provider, Model = target.Model } };
        }

        var headers = new Metadata();
        if (!string.IsNullOrEmpty(adminToken))
        {
            headers.Add("authorization", $"Bearer {adminToken}");
        }

        var delay = _options.InitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var response = await client.GenerateAsync(
                    request, headers, DateTime.UtcNow + _options.CallTimeout, cancellationToken);
                var latency = response.Latency?.Total?.ToTimeSpan().TotalMilliseconds ?? Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                return new GenerationOutcome(
                    response.Text, null, response.Provider, response.Model,
                    response.PolicyVersion == 0 ? null : response.PolicyVersion, response.FinishReason, latency,
                    (decimal)response.CostUsd, response.Usage?.InputTokens, response.Usage?.OutputTokens);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.ResourceExhausted or StatusCode.Unavailable
                                         && attempt < _options.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                // Full jitter: concurrent workers that were refused together do not come back together.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * delay.TotalMilliseconds), cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, _options.MaxBackoff.TotalMilliseconds));
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                return GenerationOutcome.Failed(
                    $"{e.StatusCode}: {e.Status.Detail}",
                    fatal: e.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.Unimplemented);
            }
        }
    }

    /// <summary>The providers the environment knows, for checking a target before any work.</summary>
    public async Task<ListProvidersResponse> ListProvidersAsync(string environment, CancellationToken cancellationToken) =>
        await client.ListProvidersAsync(new ListProvidersRequest { Environment = environment }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);

    private static GenerationParams ParamsOf(SuiteDefaults defaults)
    {
        var parameters = new GenerationParams();
        if (defaults.MaxTokens is { } maxTokens)
        {
            parameters.MaxTokens = maxTokens;
        }

        if (defaults.Temperature is { } temperature)
        {
            parameters.Temperature = (float)temperature;
        }

        if (defaults.TopP is { } topP)
        {
            parameters.TopP = (float)topP;
        }

        if (defaults.Seed is { } seed)
        {
            parameters.Seed = seed;
        }

        if (defaults.ResponseFormat == "json")
        {
            parameters.ResponseFormat = new ResponseFormat { Kind = ResponseFormat.Types.Kind.Json, JsonSchema = defaults.JsonSchema ?? "" };
        }

        return parameters;
    }
}

/// <summary>How hard the runner retries a refused or unavailable inference service.</summary>
public sealed class InferenceCallOptions
{
    /// <summary>Attempts per generation on RESOURCE_EXHAUSTED or UNAVAILABLE, the first included.</summary>
    public int MaxAttempts { get; set; } = 8;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The deadline of one call.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

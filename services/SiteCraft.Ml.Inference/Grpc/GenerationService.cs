using Grpc.Core;
using Microsoft.Extensions.Options;
using SiteCraft.Ml.Inference.Admin;
using SiteCraft.Ml.Inference.Generation;
using SiteCraft.Ml.Inference.Providers;
using SiteCraft.Ml.Inference.Routing;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Inference.Grpc;

/// <summary>The gRPC front door: validate, admit, route, answer.</summary>
public sealed class GenerationService(
    GenerateRequestValidator validator,
    GenerationRunner runner,
    IdempotencyCache idempotency,
    AdminToken adminToken,
    ServedEnvironments environments,
    RoutingCache cache,
    ProviderRegistry registry,
    GenerationMetrics metrics,
    IOptions<InferenceOptions> options) : V1.GenerationService.GenerationServiceBase
{
    private static int s_inFlight;

    public override async Task<GenerateResponse> Generate(GenerateRequest request, ServerCallContext context)
    {
        var call = Admit(request, context);
        try
        {
            if (request.RequestId.Length == 0)
            {
                return await runner.GenerateAsync(call, context.Deadline, context.CancellationToken);
            }

            var key = string.Concat(call.Validated.Environment, "\n", request.TenantId, "\n", request.RequestId);
            return await idempotency.GetOrRunAsync(
                key,
                options.Value.IdempotencyWindow,
                () => runner.GenerateAsync(call, context.Deadline, context.CancellationToken));
        }
        finally
        {
            Interlocked.Decrement(ref s_inFlight);
        }
    }

    public override async Task GenerateStream(GenerateRequest request, IServerStreamWriter<GenerateEvent> responseStream, ServerCallContext context)
    {
        var call = Admit(request, context);
        try
        {
            await runner.StreamAsync(call, responseStream, context.Deadline, context.CancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref s_inFlight);
        }
    }

    public override Task<ListProvidersResponse> ListProviders(ListProvidersRequest request, ServerCallContext context)
    {
        var environment = request.Environment.Length == 0 ? environments.Default : request.Environment;
        if (!environments.Serves(environment))
        {
            throw RpcErrors.InvalidArgument([new FieldViolation("environment", $"'{environment}' is not served by this replica (serves: {environments.Description})")]);
        }

        var snapshot = cache.Current;
        var response = new ListProvidersResponse();
        foreach (var config in snapshot.Providers.Values.Where(p => p.Environment == environment).OrderBy(p => p.Provider, StringComparer.Ordinal))
        {
            var reason = registry.DisabledReason(config);
            var status = new ProviderStatus
            {
                Provider = config.Provider,
                Kind = config.Kind,
                Enabled = reason is null,
                DisabledReason = reason ?? string.Empty,
                Circuit = registry.CircuitOf(environment, config.Provider) switch
                {
                    CircuitState.Open => "open",
                    CircuitState.HalfOpen => "half-open",
                    _ => "closed",
                },
            };
            foreach (var model in snapshot.Models.Values.Where(m => m.Provider == config.Provider).OrderBy(m => m.Model, StringComparer.Ordinal))
            {
                status.Models.Add(new ModelPrice
                {
                    Model = model.Model,
                    InputUsdPerMtok = (double)model.InputUsdPerMillionTokens,
                    OutputUsdPerMtok = (double)model.OutputUsdPerMillionTokens,
                });
            }

            response.Providers.Add(status);
        }

        return Task.FromResult(response);
    }

    /// <summary>Validates, checks the admin token for pinned routes, and takes a concurrency slot (released by the caller).</summary>
    private GenerationCall Admit(GenerateRequest request, ServerCallContext context)
    {
        var validated = validator.Validate(request, out var violations);
        if (violations is not null)
        {
            metrics.Rejected(nameof(StatusCode.InvalidArgument), null);
            throw RpcErrors.InvalidArgument(violations);
        }

        if (request.Routing?.Pinned is { Provider.Length: > 0 } && !adminToken.IsValid(context.RequestHeaders.GetValue("authorization")))
        {
            metrics.Rejected(nameof(StatusCode.PermissionDenied), validated.UseCase.Id);
            throw RpcErrors.Of(StatusCode.PermissionDenied, "routing.pinned needs the admin token (authorization: Bearer <Inference:AdminToken>)");
        }

        if (!cache.IsLoaded)
        {
            throw RpcErrors.Of(StatusCode.Unavailable, "routing policies are not loaded yet (the database has not answered since start)");
        }

        if (Interlocked.Increment(ref s_inFlight) > options.Value.MaxConcurrentRequests)
        {
            Interlocked.Decrement(ref s_inFlight);
            metrics.Rejected(nameof(StatusCode.ResourceExhausted), validated.UseCase.Id);
            throw RpcErrors.Of(StatusCode.ResourceExhausted, $"over {options.Value.MaxConcurrentRequests} generations in flight on this replica; retry with backoff");
        }

        return runner.Begin(validated);
    }
}

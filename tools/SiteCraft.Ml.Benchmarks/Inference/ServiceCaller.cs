using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Benchmarks.Inference;

/// <summary>
/// One caller of GenerationService.Generate in the benchmark environment. Not thread-safe (it reuses
/// its request): concurrent callers each have their own, sharing the gRPC client.
/// </summary>
public sealed class ServiceCaller(GenerationService.GenerationServiceClient client, bool requestIds)
{
    private readonly GenerateRequest _request = new()
    {
        Environment = BenchRouting.Environment,
        UseCase = BenchRouting.UseCase,
        TenantId = "bench-tenant",
        SiteId = "bench-site",
        UserId = "bench-user",
        Messages = { new Message { Role = Role.User, Text = BenchPrompt.Text } },
        Params = new GenerationParams { MaxTokens = BenchPrompt.MaxTokens },
    };

    public async Task CallAsync(CancellationToken cancellationToken)
    {
        if (requestIds)
        {
            // As SiteCraft.Ml.Client does for every call, so the service's idempotency cache is exercised.
            _request.RequestId = Guid.NewGuid().ToString("N");
        }

        var response = await client.GenerateAsync(_request, cancellationToken: cancellationToken);
        if (!string.Equals(response.Text, BenchPrompt.ExpectedAnswer, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the service answered '{response.Text}' from {response.Provider}/{response.Model}");
        }
    }

    /// <summary>A gRPC round trip to the service with no provider call behind it: the floor under <see cref="CallAsync"/>.</summary>
    public async Task ListProvidersAsync(CancellationToken cancellationToken)
    {
        var response = await client.ListProvidersAsync(new ListProvidersRequest { Environment = BenchRouting.Environment }, cancellationToken: cancellationToken);
        if (response.Providers.Count == 0)
        {
            throw new InvalidOperationException($"the service lists no provider for {BenchRouting.Environment}");
        }
    }
}

using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Client;

public static class SiteCraftInferenceExtensions
{
    /// <summary>
    /// Registers <see cref="GenerationService.GenerationServiceClient"/> for injection: service
    /// discovery for the address, retries on UNAVAILABLE, and a request_id on every call that has
    /// none, so a retried call is answered once (the service deduplicates by request_id).
    /// </summary>
    public static IHttpClientBuilder AddSiteCraftInference(this IServiceCollection services, Action<SiteCraftInferenceOptions>? configure = null)
    {
        var options = new SiteCraftInferenceOptions();
        configure?.Invoke(options);
        services.AddServiceDiscovery();

        var builder = services
            .AddGrpcClient<GenerationService.GenerationServiceClient>(client => client.Address = options.Address)
            .AddInterceptor(() => new RequestIdInterceptor())
            .ConfigureChannel(channel => channel.ServiceConfig = new ServiceConfig
            {
                MethodConfigs =
                {
                    new MethodConfig
                    {
                        Names = { MethodName.Default },
                        RetryPolicy = options.MaxAttempts > 1
                            ? new RetryPolicy
                            {
                                MaxAttempts = options.MaxAttempts,
                                InitialBackoff = options.InitialBackoff,
                                MaxBackoff = TimeSpan.FromSeconds(2),
                                BackoffMultiplier = 2,
                                RetryableStatusCodes = { StatusCode.Unavailable },
                            }
                            : null,
                    },
                },
            })
            .AddServiceDiscovery();

        if (options.AdminToken is { Length: > 0 } token)
        {
            builder.AddCallCredentials((_, metadata) =>
            {
                metadata.Add("authorization", $"Bearer {token}");
                return Task.CompletedTask;
            }).ConfigureChannel(channel => channel.UnsafeUseInsecureChannelCallCredentials = true);
        }

        return builder;
    }
}

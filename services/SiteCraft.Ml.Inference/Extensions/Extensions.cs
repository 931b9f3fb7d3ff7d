using SiteCraft.Ml.Inference.Admin;
using SiteCraft.Ml.Inference.Generation;
using SiteCraft.Ml.Inference.Providers;
using SiteCraft.Ml.Inference.Providers.Local;
using SiteCraft.Ml.Inference.Routing;
using SiteCraft.Ml.Inference.Telemetry;

namespace SiteCraft.Ml.Inference.Extensions;

public static class Extensions
{
    /// <summary>Routing, providers, generation and telemetry: everything GenerationService needs.</summary>
    public static IHostApplicationBuilder AddInferenceServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);

        var ownEnvironment = builder.Configuration["SITECRAFT_ENVIRONMENT"] ?? "development";
        services.AddSingleton(sp => new ServedEnvironments(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RoutingOptions>>().Value, ownEnvironment));

        services.AddSingleton<IProviderClientFactory, OpenAICompatibleClientFactory>();
        services.AddSingleton<IProviderClientFactory, AnthropicClientFactory>();
        services.AddOptions<LocalModelOptions>().BindConfiguration(LocalModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LocalModelHost>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalModelHost>());
        services.AddSingleton<IProviderClientFactory, LocalModelClientFactory>();
        services.AddSingleton<ProviderRegistry>();

        services.AddSingleton<RoutingCache>();
        services.AddSingleton<RoutingSnapshotLoader>();
        services.AddSingleton<RoutePlanner>();
        services.AddSingleton<PolicyStore>();
        services.AddHostedService<RoutingCacheRefresher>();
        services.AddHostedService<CanaryGuardrailWatcher>();
        services.AddSingleton(sp =>
        {
            var routing = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RoutingOptions>>().Value;
            return new RetryBudget(routing.RetryBudgetRatio, routing.RetryBudgetMinPerSecond, TimeSpan.FromSeconds(10), sp.GetRequiredService<TimeProvider>());
        });

        services.AddSingleton<GenerationMetrics>();
        services.AddSingleton(sp => new GenerateRequestValidator(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<InferenceOptions>>().Value,
            sp.GetRequiredService<ServedEnvironments>()));
        services.AddSingleton<GenerationRunner>();
        services.AddSingleton<IdempotencyCache>();
        services.AddSingleton<AdminToken>();

        builder.AddGenerationTelemetry();
        services.AddHealthChecks().AddCheck<RoutingHealthCheck>("routing");
        return builder;
    }
}

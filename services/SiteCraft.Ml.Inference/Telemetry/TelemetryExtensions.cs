using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SiteCraft.Ml.Inference.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>
    /// The generation event writer: options from "Telemetry" (checked at start), one writer that is both
    /// the <see cref="IGenerationEventSink"/> and a hosted service. Needs the NpgsqlDataSource that
    /// AddSiteCraftDatabase registers.
    /// </summary>
    public static IHostApplicationBuilder AddGenerationTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>()
            .Bind(builder.Configuration.GetSection(TelemetryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GenerationEventWriter>();
        builder.Services.AddSingleton<IGenerationEventSink>(services => services.GetRequiredService<GenerationEventWriter>());
        builder.Services.AddHostedService(services => services.GetRequiredService<GenerationEventWriter>());
        return builder;
    }
}

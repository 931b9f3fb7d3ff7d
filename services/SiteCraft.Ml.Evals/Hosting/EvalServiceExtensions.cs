using Microsoft.Extensions.Options;
using SiteCraft.Ml.Client;
using SiteCraft.Ml.Evals.Core.Gates;
using SiteCraft.Ml.Evals.Data;
using SiteCraft.Ml.Evals.Data.Reports;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Evals.Hosting;

public static class EvalServiceExtensions
{
    /// <summary>The eval plane: suites from files, the store, the runner through the inference service, gates, workers.</summary>
    public static IHostApplicationBuilder AddEvalServices(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Evals");
        builder.Services.Configure<EvalServiceOptions>(section);
        builder.Services.PostConfigure<EvalServiceOptions>(options =>
        {
            if (section["Environment"] is null && builder.Configuration["SITECRAFT_ENVIRONMENT"] is { Length: > 0 } environment)
            {
                options.Environment = environment;
            }
        });
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<EvalServiceOptions>>().Value);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EvalServiceOptions>().Runner);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EvalServiceOptions>().Nightly);

        var adminToken = builder.Configuration["Inference:AdminToken"];
        // The caller retries RESOURCE_EXHAUSTED and UNAVAILABLE itself, with backoff, and a generation may
        // take longer than the standard HTTP handler's 10 s attempt timeout, so that handler is removed.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt one client out.
        builder.Services.AddSiteCraftInference(options => options.MaxAttempts = 1).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton(sp => new InferenceCaller(
            sp.GetRequiredService<GenerationService.GenerationServiceClient>(), adminToken, sp.GetRequiredService<EvalRunOptions>().Calls));

        builder.Services.AddSingleton(sp => SuiteCatalog.Load(NullIfEmpty(sp.GetRequiredService<EvalServiceOptions>().SuitesDirectory)));
        builder.Services.AddSingleton(sp => GatePolicies.Load(
            NullIfEmpty(sp.GetRequiredService<EvalServiceOptions>().GatesFile) ?? Path.Combine(AppContext.BaseDirectory, "evals", "gates.yaml")));
        builder.Services.AddSingleton<EvalStore>();
        builder.Services.AddSingleton<EvalReports>();
        builder.Services.AddSingleton<ProviderLimits>();
        builder.Services.AddSingleton<EvalRunner>();
        builder.Services.AddSingleton(sp => new GateService(
            sp.GetRequiredService<EvalStore>(), sp.GetRequiredService<GatePolicies>(), sp.GetRequiredService<EvalServiceOptions>().ProductionEnvironment));
        builder.Services.AddSingleton<NightlyRuns>();
        builder.Services.AddSingleton<OnlineEvaluator>();
        builder.Services.AddSingleton<RunSignal>();
        builder.Services.AddSingleton<Admin.EvalAdminToken>();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.AddHostedService<RunWorker>();
        builder.Services.AddHostedService<NightlyScheduler>();
        builder.Services.AddHostedService<OnlineEvalWorker>();
        builder.Services.AddHealthChecks().AddCheck<SuitesHealthCheck>("eval-suites");
        return builder;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

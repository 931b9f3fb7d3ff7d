using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Data.Checks;
using SiteCraft.Ml.Contracts.Data.Ingest;
using SiteCraft.Ml.Contracts.Data.LoopBack;
using SiteCraft.Ml.Contracts.Data.Quarantine;
using SiteCraft.Ml.Contracts.Data.Registry;
using SiteCraft.Ml.Contracts.Data.Snapshots;
using SiteCraft.Ml.Contracts.Grpc;
using SiteCraft.Ml.Contracts.Hosting;

namespace SiteCraft.Ml.Contracts.Extensions;

public static class Extensions
{
    /// <summary>
    /// Loads and checks every data contract before the host is built, so a malformed one fails the
    /// start with its file, line and problem.
    /// </summary>
    public static async Task<IHostApplicationBuilder> AddContractServicesAsync(this IHostApplicationBuilder builder)
    {
        var options = new ContractsOptions();
        builder.Configuration.GetSection(ContractsOptions.Section).Bind(options);
        var catalog = await ContractCatalog.LoadAsync(options.Directory, CancellationToken.None);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<ContractStore>();
        builder.Services.AddSingleton(sp => new TrainingIngestor(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<ILogger<TrainingIngestor>>()));
        builder.Services.AddSingleton<QuarantineStore>();
        builder.Services.Configure<ContractsOptions>(builder.Configuration.GetSection(ContractsOptions.Section));
        builder.Services.AddSingleton(sp => new SnapshotExporter(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new ContractTableChecker(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<LoopBackOptions>(builder.Configuration.GetSection(LoopBackOptions.Section));
        builder.Services.AddSingleton(sp => new ProductionLoopBack(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TrainingIngestor>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ProductionLoopBack>>()));
        builder.Services.AddHostedService<LoopBackWorker>();
        builder.Services.AddGrpc().AddServiceOptions<ContractsGrpcService>(grpc =>
        {
            grpc.MaxReceiveMessageSize = ContractsGrpcService.MaxMessageBytes;
            grpc.MaxSendMessageSize = ContractsGrpcService.MaxMessageBytes;
        });
        builder.Services.AddHostedService<ContractRegistration>();
        return builder;
    }
}

using SiteCraft.Ml.Contracts.Contracts;
using SiteCraft.Ml.Contracts.Core.Contracts;
using Npgsql;
using SiteCraft.Ml.Contracts.Data.Contracts;
using SiteCraft.Ml.Contracts.Data.Ingest;
using SiteCraft.Ml.Contracts.Data.Quarantine;
using SiteCraft.Ml.Contracts.GrpcApi;

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
        builder.Services.AddGrpc().AddServiceOptions<ContractsGrpcService>(grpc =>
        {
            grpc.MaxReceiveMessageSize = ContractsGrpcService.MaxMessageBytes;
            grpc.MaxSendMessageSize = ContractsGrpcService.MaxMessageBytes;
        });
        builder.Services.AddHostedService<ContractRegistration>();
        return builder;
    }
}

using SiteCraft.Ml.Contracts.Contracts;
using SiteCraft.Ml.Contracts.Core.Contracts;
using SiteCraft.Ml.Contracts.Data.Contracts;

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
        builder.Services.AddHostedService<ContractRegistration>();
        return builder;
    }
}

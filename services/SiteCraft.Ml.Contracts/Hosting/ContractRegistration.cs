using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Data.Registry;

namespace SiteCraft.Ml.Contracts.Hosting;

/// <summary>
/// Records every loaded contract in ai_data_contracts with its hash, at start; a contract changed
/// under a stored version stops the start (see <see cref="ContractStore"/>).
/// </summary>
public sealed partial class ContractRegistration(ContractCatalog catalog, ContractStore store, ILogger<ContractRegistration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var contract in catalog.Contracts)
        {
            await store.RegisterAsync(contract, cancellationToken);
            LogRegistered(logger, contract.Key, contract.Sha256);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Data contract {Contract} registered (sha256 {Sha256})")]
    private static partial void LogRegistered(ILogger logger, string contract, string sha256);
}

using Npgsql;

namespace SiteCraft.Ml.Contracts.Contracts;

/// <summary>
/// Records every loaded contract in ai_data_contracts with its hash, at start. A contract whose
/// (id, version) is already stored with a different hash stops the start: a rule changed without
/// a version bump, and data validated under the old rules would carry the same version.
/// </summary>
public sealed partial class ContractRegistration(ContractCatalog catalog, NpgsqlDataSource dataSource, ILogger<ContractRegistration> logger) : IHostedService
{
    private const string UpsertSql = """
        insert into ai_data_contracts (contract_id, version, sha256, body, status)
        values ($1, $2, $3, $4, $5)
        on conflict (contract_id, version) do update set status = excluded.status, loaded_at = now()
        where ai_data_contracts.sha256 = excluded.sha256
        returning sha256
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var contract in catalog.Contracts)
        {
            await using var command = new NpgsqlCommand(UpsertSql, connection)
            {
                Parameters =
                {
                    new() { Value = contract.Id },
                    new() { Value = contract.Version },
                    new() { Value = contract.Sha256 },
                    new() { Value = contract.Body },
                    new() { Value = contract.Status },
                },
            };
            // No row back: the stored hash differs, so the update's condition refused it.
            if (await command.ExecuteScalarAsync(cancellationToken) is null)
            {
                throw new InvalidOperationException(
                    $"{contract.Source}: contract {contract.Key} is already stored with a different sha256; bump its version when its rules change.");
            }

            LogRegistered(logger, contract.Key, contract.Sha256);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Data contract {Contract} registered (sha256 {Sha256})")]
    private static partial void LogRegistered(ILogger logger, string contract, string sha256);
}

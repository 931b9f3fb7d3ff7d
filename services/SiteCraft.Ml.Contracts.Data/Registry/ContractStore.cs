using Npgsql;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Data.Registry;

/// <summary>
/// Keeps ai_data_contracts in step with the contract files. A contract whose (id, version) is
/// already stored with a different hash is refused: a rule changed without a version bump, and
/// data validated under the old rules would carry the same version.
/// </summary>
public sealed class ContractStore(NpgsqlDataSource dataSource)
{
    private const string UpsertSql = """
        insert into ai_data_contracts (contract_id, version, sha256, body, status)
        values ($1, $2, $3, $4, $5)
        on conflict (contract_id, version) do update set status = excluded.status, loaded_at = now()
        where ai_data_contracts.sha256 = excluded.sha256
        returning sha256
        """;

    /// <summary>Stores the contract (or refreshes its status); throws naming the file when its version's hash changed.</summary>
    public async Task RegisterAsync(DataContract contract, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(UpsertSql);
        command.Parameters.Add(new() { Value = contract.Id });
        command.Parameters.Add(new() { Value = contract.Version });
        command.Parameters.Add(new() { Value = contract.Sha256 });
        command.Parameters.Add(new() { Value = contract.Body });
        command.Parameters.Add(new() { Value = contract.Status });

        // No row back: the stored hash differs, so the update's condition refused it.
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw new ContractConflictException(
                $"{contract.Source}: contract {contract.Key} is already stored with a different sha256; bump its version when its rules change.");
        }
    }
}

/// <summary>A contract file changed under a version that is already stored.</summary>
public sealed class ContractConflictException(string message) : Exception(message);

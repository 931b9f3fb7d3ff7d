using System.Collections.Frozen;
using SiteCraft.Ml.Contracts.Core.Validation;

namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>
/// Every data contract of the folder, loaded and checked at start: a malformed contract fails the
/// start with its file, line and problem, rather than a request an hour later.
/// </summary>
public sealed class ContractCatalog
{
    private readonly FrozenDictionary<string, ContractValidator> _validators;

    private ContractCatalog(IReadOnlyList<DataContract> contracts)
    {
        Contracts = contracts;
        _validators = contracts.ToFrozenDictionary(c => c.Id, c => new ContractValidator(c), StringComparer.Ordinal);
    }

    public IReadOnlyList<DataContract> Contracts { get; }

    public ContractValidator? ValidatorFor(string id) => _validators.TryGetValue(id, out var validator) ? validator : null;

    /// <summary>Loads every *.yaml in <paramref name="directory"/>; throws naming each bad file and line.</summary>
    public static async Task<ContractCatalog> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            throw new InvalidOperationException($"Contracts:Directory '{directory}' does not exist.");
        }

        var files = Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"Contracts:Directory '{directory}' holds no *.yaml data contract.");
        }

        var contracts = new List<DataContract>(files.Count);
        foreach (var file in files)
        {
            contracts.Add(await DataContractLoader.LoadFileAsync(file, cancellationToken));
        }

        var duplicate = contracts.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Contract id '{duplicate.Key}' is defined twice: {string.Join(", ", duplicate.Select(c => c.Source))}.");
        }

        return new ContractCatalog(contracts);
    }
}

using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Core.Validation;

namespace SiteCraft.Ml.Cli.Commands;

/// <summary>
/// The --contract and --contracts-dir options that every command reading data contracts shares,
/// and loading the catalog from them. A bad folder or an unknown contract is a
/// <see cref="UsageException"/> naming the option, file and line, so it exits 2.
/// Create one per command: System.CommandLine options belong to the command they are added to.
/// </summary>
public sealed class ContractOptions
{
    public const string DefaultContract = "ai_training_examples";

    /// <summary>The contracts shipped beside the binary (docs/contracts/*.yaml, copied at build).</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "contracts");

    public Option<string> Contract { get; } = new("--contract")
    {
        Description = "The id of the data contract to check records against.",
        HelpName = "ID",
        DefaultValueFactory = _ => DefaultContract,
    };

    public Option<DirectoryInfo> Directory { get; } = new("--contracts-dir")
    {
        Description = "The folder of *.yaml data contracts; by default the ones shipped beside sitecraft-ml.",
        HelpName = "DIR",
        DefaultValueFactory = _ => new DirectoryInfo(DefaultDirectory),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Contract);
        command.Options.Add(Directory);
    }

    /// <summary>Loads every contract of --contracts-dir; throws <see cref="UsageException"/> naming the folder, or the file and line at fault.</summary>
    public async Task<ContractCatalog> LoadCatalogAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var directory = parse.GetRequiredValue(Directory);
        if (!directory.Exists)
        {
            throw new UsageException($"--contracts-dir '{directory}' does not exist");
        }

        try
        {
            if (!directory.EnumerateFiles("*.yaml").Any())
            {
                throw new UsageException($"--contracts-dir '{directory}' holds no *.yaml data contract");
            }

            return await ContractCatalog.LoadAsync(directory.FullName, cancellationToken);
        }
        catch (Exception e) when (e is ContractLoadException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // The loader names each bad file with its line and column; duplicate ids name both files.
            throw new UsageException($"--contracts-dir '{directory}': {e.Message}", e);
        }
    }

    /// <summary>The --contract named; an unknown id is a <see cref="UsageException"/> listing the known ones.</summary>
    public async Task<DataContract> LoadContractAsync(ParseResult parse, CancellationToken cancellationToken) =>
        (await LoadValidatorAsync(parse, cancellationToken)).Contract;

    /// <summary>The validator of the --contract named; an unknown id is a <see cref="UsageException"/> listing the known ones.</summary>
    public async Task<ContractValidator> LoadValidatorAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var catalog = await LoadCatalogAsync(parse, cancellationToken);
        var id = parse.GetRequiredValue(Contract);
        return catalog.ValidatorFor(id)
            ?? throw new UsageException($"--contract '{id}' is not a contract in '{parse.GetRequiredValue(Directory)}'; known: {string.Join(", ", catalog.Contracts.Select(c => c.Id).Order(StringComparer.Ordinal))}");
    }
}

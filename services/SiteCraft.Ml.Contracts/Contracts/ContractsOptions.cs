namespace SiteCraft.Ml.Contracts.Contracts;

/// <summary>Where the data contracts are read from (configuration section "Contracts").</summary>
public sealed class ContractsOptions
{
    public const string Section = "Contracts";

    /// <summary>Folder of *.yaml contracts; by default the copy of docs/contracts shipped beside the service.</summary>
    public string Directory { get; set; } = Path.Combine(AppContext.BaseDirectory, "contracts");
}

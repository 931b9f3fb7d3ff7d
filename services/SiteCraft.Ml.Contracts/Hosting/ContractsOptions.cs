namespace SiteCraft.Ml.Contracts.Hosting;

/// <summary>Where the data contracts are read from (configuration section "Contracts").</summary>
public sealed class ContractsOptions
{
    public const string Section = "Contracts";

    /// <summary>Folder of *.yaml contracts; by default the copy of docs/contracts shipped beside the service.</summary>
    public string Directory { get; set; } = Path.Combine(AppContext.BaseDirectory, "contracts");

    /// <summary>Where CreateSnapshot writes dataset snapshots (one folder each); by default the user's data folder.</summary>
    public string SnapshotDirectory { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "sitecraft-ml", "snapshots");
}

using System.CommandLine;

namespace SiteCraft.Ml.Benchmarks.Contracts;

/// <summary>The "contracts" command and its options.</summary>
public static class ContractsCommand
{
    public static Command Create()
    {
        var records = new Option<int>("--records")
        {
            Description = "Generated training records (about 1 KB each) in every pass.",
            DefaultValueFactory = _ => 100_000,
        }.Positive();
        var repetitions = new Option<int>("--repetitions")
        {
            Description = "Counted passes over the records per path, after warm-up; the report gives their median.",
            DefaultValueFactory = _ => 5,
        }.Positive();
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the record generator: the same seed gives the same records.",
            DefaultValueFactory = _ => 20251126,
        };
        var output = new Option<FileInfo?>("--output")
        {
            Description = "Also write the markdown report to this file.",
        };

        var command = new Command("contracts", "Records/s through contract validation (one thread and all cores) and the full curation path, in process.")
        {
            records,
            repetitions,
            seed,
            output,
        };
        command.SetAction((parse, cancellationToken) => ContractsBenchmark.RunAsync(
            new ContractsSettings(parse.GetValue(records), parse.GetValue(repetitions), parse.GetValue(seed), parse.GetValue(output)),
            string.Join(' ', ["dotnet run -c", BuildInfo.Configuration, "--project tools/SiteCraft.Ml.Benchmarks --", .. parse.Tokens.Select(t => t.Value)]),
            cancellationToken));
        return command;
    }
}

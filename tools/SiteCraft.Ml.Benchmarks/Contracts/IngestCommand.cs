using System.CommandLine;

namespace SiteCraft.Ml.Benchmarks.Contracts;

/// <summary>The "ingest" command: training-data ingest into Postgres.</summary>
public static class IngestCommand
{
    public static Command Create()
    {
        var records = new Option<int>("--records") { Description = "Generated training records (about 1 KB each) per pass.", DefaultValueFactory = _ => 100_000 }.Positive();
        var chunkSize = new Option<int>("--chunk-size") { Description = "Records per chunk (one transaction each).", DefaultValueFactory = _ => 1000 }.Positive();
        var repetitions = new Option<int>("--repetitions") { Description = "Counted passes after one warm-up pass.", DefaultValueFactory = _ => 3 }.Positive();
        var seed = new Option<int>("--seed") { Description = "Seed of the record generator.", DefaultValueFactory = _ => 20251126 };
        var connection = new Option<string?>("--connection") { Description = "An existing, migrated SiteCraft.Ml database (its training tables are truncated!); default: start the AppHost graph and use its Postgres." };
        var output = new Option<FileInfo?>("--output") { Description = "Also write the markdown report to this file." };

        var command = new Command("ingest", "Rows/s of training-data ingest into Postgres: the write stage alone and end to end with curation.")
        {
            records, chunkSize, repetitions, seed, connection, output,
        };
        command.SetAction((parse, cancellationToken) => IngestBenchmark.RunAsync(
            new IngestSettings(parse.GetValue(records), parse.GetValue(chunkSize), parse.GetValue(repetitions), parse.GetValue(seed), parse.GetValue(connection), parse.GetValue(output)),
            string.Join(' ', ["dotnet run -c", BuildInfo.Configuration, "--project tools/SiteCraft.Ml.Benchmarks --", .. parse.Tokens.Select(t => t.Value)]),
            cancellationToken));
        return command;
    }
}

using System.CommandLine;

namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>The "evals" command: scoring and report generation in process, no platform.</summary>
public static class EvalsCommand
{
    public static Command Create()
    {
        var samples = new Option<int>("--samples")
        {
            Description = "Outputs scored in every pass, per assertion type and per suite; also the size of the run whose reports are generated.",
            DefaultValueFactory = _ => 10_000,
        }.Positive();
        var repetitions = new Option<int>("--repetitions")
        {
            Description = "Counted passes per measurement, after warm-up; the report gives their median.",
            DefaultValueFactory = _ => 5,
        }.Positive();
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the output generator: the same seed gives the same outputs.",
            DefaultValueFactory = _ => 20261127,
        };
        var suites = new Option<DirectoryInfo>("--suites")
        {
            Description = "The suite files to take cases, expected texts and assertions from.",
            DefaultValueFactory = _ => new DirectoryInfo(EvalsSettings.DefaultSuites),
        };
        var output = new Option<FileInfo?>("--output")
        {
            Description = "Also write the markdown report to this file.",
        };

        var command = new Command("evals", "Samples/s of deterministic scoring per assertion type and per shipped suite, and the time to aggregate and write a run's reports, in process.")
        {
            samples,
            repetitions,
            seed,
            suites,
            output,
        };
        command.SetAction((parse, cancellationToken) => EvalsBenchmark.RunAsync(
            new EvalsSettings(parse.GetValue(samples), parse.GetValue(repetitions), parse.GetValue(seed), parse.GetValue(suites)!, parse.GetValue(output)),
            string.Join(' ', ["dotnet run -c", BuildInfo.Configuration, "--project tools/SiteCraft.Ml.Benchmarks --", .. parse.Tokens.Select(t => t.Value)]),
            cancellationToken));
        return command;
    }
}

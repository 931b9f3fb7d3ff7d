using System.CommandLine;

namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>The "evals-run" command: the shipped suites through the eval service of the real graph.</summary>
public static class EvalsRunCommand
{
    public static Command Create()
    {
        var suites = new Option<string[]>("--suites")
        {
            Description = "Suite ids to run.",
            DefaultValueFactory = _ => [EvalsBenchmark.PageSuite, EvalsBenchmark.CopySuite, EvalsBenchmark.SeoSuite],
            AllowMultipleArgumentsPerToken = true,
        };
        var cacheSuite = new Option<string>("--cache-suite")
        {
            Description = "The suite run a second time with use_cache, to measure the response cache.",
            DefaultValueFactory = _ => EvalsBenchmark.SeoSuite,
        };
        var concurrent = new Option<bool>("--concurrent")
        {
            Description = "Start every suite at once (the service runs Evals:MaxConcurrentRuns of them together) instead of one after another.",
        };
        var environment = new Option<string>("--environment") { Description = "Routing environment.", DefaultValueFactory = _ => "development" };
        var provider = new Option<string>("--provider") { Description = "Pinned provider.", DefaultValueFactory = _ => "sitecraft-local" };
        var model = new Option<string>("--model") { Description = "Pinned model.", DefaultValueFactory = _ => "sitecraft-base@1" };
        var limit = new Option<int>("--limit") { Description = "Only the first N cases of each suite (0 = all); for a smoke run.", DefaultValueFactory = _ => 0 }.NonNegative();
        var timeout = new Option<int>("--run-timeout")
        {
            Description = "Minutes one run may take before the benchmark gives up.",
            DefaultValueFactory = _ => 30,
        }.Positive();
        var output = new Option<FileInfo?>("--output") { Description = "Also write the markdown report to this file." };

        var command = new Command("evals-run", "Wall time, samples/s, pass rates and the cache effect of the shipped suites run through the eval service against the pinned local model.")
        {
            suites, cacheSuite, concurrent, environment, provider, model, limit, timeout, output,
        };
        command.SetAction((parse, cancellationToken) => EvalsRunBenchmark.RunAsync(
            new EvalsRunSettings(
                parse.GetValue(suites)!,
                parse.GetValue(cacheSuite)!,
                parse.GetValue(concurrent),
                parse.GetValue(environment)!,
                parse.GetValue(provider)!,
                parse.GetValue(model)!,
                parse.GetValue(limit),
                TimeSpan.FromMinutes(parse.GetValue(timeout)),
                parse.GetValue(output)),
            string.Join(' ', ["dotnet run -c", BuildInfo.Configuration, "--project tools/SiteCraft.Ml.Benchmarks --", .. parse.Tokens.Select(t => t.Value)]),
            cancellationToken));
        return command;
    }
}

using System.CommandLine;

namespace SiteCraft.Ml.Benchmarks.Inference;

/// <summary>The "inference" command and its options.</summary>
public static class InferenceCommand
{
    public static Command Create()
    {
        var sequential = new Option<int>("--sequential")
        {
            Description = $"Direct/service call pairs counted one at a time, after {InferenceSettings.SequentialWarmup:N0} warm-up pairs.",
            DefaultValueFactory = _ => 5000,
        }.Positive();
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Concurrent callers in the load phase.",
            DefaultValueFactory = _ => 32,
        }.Positive();
        var duration = new Option<int>("--duration")
        {
            Description = "Seconds of load through the service (the direct baseline runs min(this, 15) s).",
            DefaultValueFactory = _ => 60,
        }.Positive();
        var warmup = new Option<int>("--warmup")
        {
            // Measured here: the service's rate under load still climbs for 20-30 s (its CPU per call falls as tiered JIT catches up).
            Description = "Seconds of load before counting, in both concurrent runs.",
            DefaultValueFactory = _ => 10,
        }.Positive();
        var requestIds = new Option<bool>("--request-ids")
        {
            Description = "Give every call a fresh request_id, as SiteCraft.Ml.Client does (false: none, skipping the idempotency cache).",
            DefaultValueFactory = _ => true,
        };
        var output = new Option<FileInfo?>("--output")
        {
            Description = "Also write the markdown report to this file.",
        };

        var command = new Command("inference", "Latency the inference service adds to a provider call, throughput under load, and telemetry rows lost.")
        {
            sequential,
            concurrency,
            duration,
            warmup,
            requestIds,
            output,
        };
        command.SetAction((parse, cancellationToken) => InferenceBenchmark.RunAsync(
            new InferenceSettings(
                parse.GetValue(sequential),
                parse.GetValue(concurrency),
                TimeSpan.FromSeconds(parse.GetValue(duration)),
                TimeSpan.FromSeconds(parse.GetValue(warmup)),
                parse.GetValue(requestIds),
                parse.GetValue(output)),
            string.Join(' ', ["dotnet run -c", BuildInfo.Configuration, "--project tools/SiteCraft.Ml.Benchmarks --", .. parse.Tokens.Select(t => t.Value)]),
            cancellationToken));
        return command;
    }
}

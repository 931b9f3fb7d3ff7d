using System.Globalization;
using System.Text;
using SiteCraft.Ml.Benchmarks.Measurement;

namespace SiteCraft.Ml.Benchmarks.Inference;

/// <summary>One run as a markdown section: where, how, the figures, and the targets next to them.</summary>
public static class InferenceReport
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static string Render(InferenceRun run)
    {
        var settings = run.Settings;
        var machine = run.Machine;
        var seq = run.Sequential;
        var md = new StringBuilder();
        md.AppendLine(s_invariant, $"## Inference benchmark, {run.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(s_invariant, $"- Machine: {machine.Cores} cores ({machine.Cpu}), {machine.OperatingSystem}, {machine.Runtime}");
        md.AppendLine(s_invariant, $"- Command: `{run.CommandLine}`");
        md.AppendLine(s_invariant, $"- Build: {BuildInfo.Configuration} (the AppHost runs the services from the same build)");
        md.AppendLine("- Graph: the real AppHost (local Postgres, migrator, inference, evals, contracts), dashboard off; inference logs at Warning, telemetry on");
        md.AppendLine("- Path measured: gRPC h2c straight to the inference service's Kestrel (DCP's development proxy bypassed) → OpenAI SDK → FakeProviderServer (`echo`, answers at once) on 127.0.0.1");
        md.AppendLine(s_invariant, $"- Requests: environment `{BenchRouting.Environment}`, use case `{BenchRouting.UseCase}`, one stable arm {BenchRouting.Provider}/{BenchRouting.Model}, max_tokens {BenchPrompt.MaxTokens}, {(settings.RequestIds ? "a fresh request_id per call (as SiteCraft.Ml.Client sends)" : "no request_id")}");
        md.AppendLine(s_invariant, $"- Sequential: {settings.Sequential:N0} direct/service pairs after {InferenceSettings.SequentialWarmup:N0} warm-up pairs, order alternating within pairs");
        md.AppendLine(s_invariant, $"- Concurrent: {settings.Concurrency} callers over {InferenceSettings.Channels} gRPC channels (multiple HTTP/2 connections allowed), {Seconds(settings.Duration)} s after a {Seconds(settings.ConcurrentWarmup)} s warm-up; direct baseline {Seconds(settings.DirectDuration)} s after the same warm-up");
        md.AppendLine("- Load generator, service, fake provider and Postgres share the same cores; the direct baseline runs client and fake server in one process, the service path crosses processes four times");
        md.AppendLine("- OpenTelemetry as the AppHost sets it (traces always on); with the dashboard off nothing listens on its OTLP endpoint, so exports fail fast");
        md.AppendLine("- Percentiles interpolate between ranks, like Postgres' percentile_cont");
        md.AppendLine();

        md.AppendLine("### Sequential (one call at a time), ms");
        md.AppendLine();
        md.AppendLine("| path | calls | p50 | p90 | p99 | max |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        LatencyRow(md, "direct (OpenAI SDK → fake server)", seq.Direct);
        LatencyRow(md, "through the service (gRPC → inference → fake server)", seq.Service);
        md.AppendLine(s_invariant, $"| **added by the service** (difference of percentiles) | | **{Ms(run.SequentialAddedP50)}** | {Ms(seq.Service.Latency.P90 - seq.Direct.Latency.P90)} | **{Ms(run.SequentialAddedP99)}** | |");
        LatencyRow(md, "gRPC round trip alone (ListProviders, no provider call), after the pairs", seq.GrpcFloor);
        ServerRows(md, run.SequentialServer);
        md.AppendLine();

        md.AppendLine(s_invariant, $"### Concurrent ({settings.Concurrency} callers), ms");
        md.AppendLine();
        md.AppendLine("| path | seconds | calls | requests/s | p50 | p90 | p99 | max |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        ThroughputRow(md, "through the service", run.Service);
        ThroughputRow(md, "direct (baseline)", run.Direct);
        md.AppendLine(s_invariant, $"| **added by the service** | | | | **{Ms(run.ConcurrentAddedP50)}** | {Ms(run.Service.Calls.Latency.P90 - run.Direct.Calls.Latency.P90)} | **{Ms(run.ConcurrentAddedP99)}** | |");
        md.AppendLine();
        md.AppendLine(s_invariant, $"Requests/s through the service per {run.Service.SliceSeconds} s slice: {string.Join(", ", run.Service.SliceRates.Select(rate => rate.ToString("N0", s_invariant)))}");
        md.AppendLine();
        md.AppendLine("Under load, from the service's rows:");
        md.AppendLine();
        md.AppendLine("| path | calls | p50 | p90 | p99 | max |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        ServerRows(md, run.ConcurrentServer);
        md.AppendLine();

        md.AppendLine("### Telemetry and errors");
        md.AppendLine();
        md.AppendLine("| ai_generation_events rows expected | rows found | lost | failed calls |");
        md.AppendLine("| ---: | ---: | ---: | ---: |");
        md.AppendLine(s_invariant, $"| {run.RowsExpected:N0} | {run.RowsFound:N0} | {run.RowsLost:N0} | {run.FailedCalls:N0} |");
        md.AppendLine();
        var errors = seq.WarmupDirect.Errors.Concat(seq.WarmupService.Errors).Concat(seq.Direct.Errors).Concat(seq.Service.Errors)
            .Concat(run.Service.Warmup.Errors).Concat(run.Service.Calls.Errors).Concat(run.Direct.Warmup.Errors).Concat(run.Direct.Calls.Errors)
            .Distinct(StringComparer.Ordinal).Take(5).ToList();
        foreach (var error in errors)
        {
            md.AppendLine(s_invariant, $"- error: {error}");
        }

        if (run.RowsFound > run.RowsExpected)
        {
            md.AppendLine(s_invariant, $"- {run.RowsFound - run.RowsExpected:N0} more rows than successful calls: duplicates or rows of failed attempts");
        }

        md.AppendLine();
        md.AppendLine("### Targets");
        md.AppendLine();
        md.AppendLine("| target | measured | met |");
        md.AppendLine("| --- | ---: | --- |");
        TargetRow(md, $"sequential added overhead p50 ≤ {Ms(InferenceRun.SequentialAddedP50TargetMs)} ms", $"{Ms(run.SequentialAddedP50)} ms", run.SequentialTargetMet);
        TargetRow(md, string.Create(s_invariant, $"≥ {InferenceRun.ThroughputTarget:N0} requests/s sustained through the service"), string.Create(s_invariant, $"{run.Service.RequestsPerSecond:N0} requests/s (slowest slice {run.Service.SliceRates.DefaultIfEmpty(0).Min():N0})"), run.ThroughputTargetMet);
        TargetRow(md, $"… with added p99 ≤ {Ms(InferenceRun.ConcurrentAddedP99TargetMs)} ms", $"{Ms(run.ConcurrentAddedP99)} ms", run.ConcurrentP99TargetMet);
        TargetRow(md, "0 telemetry rows lost", string.Create(s_invariant, $"{run.RowsLost:N0} lost"), run.TelemetryTargetMet);
        md.AppendLine();
        var met = new[] { run.SequentialTargetMet, run.ThroughputTargetMet, run.ConcurrentP99TargetMet, run.TelemetryTargetMet }.Count(m => m);
        md.AppendLine(s_invariant, $"{met} of 4 targets met{(run.FailedCalls == 0 ? string.Empty : $"; {run.FailedCalls:N0} calls failed, so the figures are not trustworthy")}.");
        return md.ToString();
    }

    private static void LatencyRow(StringBuilder md, string path, CallStats calls) =>
        md.AppendLine(s_invariant, $"| {path} | {calls.Succeeded:N0} | {Ms(calls.Latency.P50)} | {Ms(calls.Latency.P90)} | {Ms(calls.Latency.P99)} | {Ms(calls.Latency.Max)} |");

    private static void ServerRows(StringBuilder md, ServerTimings server)
    {
        md.AppendLine(s_invariant, $"| service's own overhead, from its rows (overhead_ms: no gRPC hop, nor work before/after its clock) | {server.Rows:N0} | {Ms(server.OverheadP50)} | | {Ms(server.OverheadP99)} | |");
        md.AppendLine(s_invariant, $"| provider call as the service timed it (latency_ms) | {server.Rows:N0} | {Ms(server.ProviderP50)} | | {Ms(server.ProviderP99)} | |");
    }

    private static void ThroughputRow(StringBuilder md, string path, ConcurrentResult result)
    {
        var latency = result.Calls.Latency;
        md.AppendLine(s_invariant,
            $"| {path} | {result.Elapsed.TotalSeconds:0.0} | {result.Calls.Succeeded:N0} | {result.RequestsPerSecond:N0} | {Ms(latency.P50)} | {Ms(latency.P90)} | {Ms(latency.P99)} | {Ms(latency.Max)} |");
    }

    private static void TargetRow(StringBuilder md, string target, string measured, bool met) =>
        md.AppendLine(s_invariant, $"| {target} | {measured} | {(met ? "yes" : "**no**")} |");

    private static string Ms(double milliseconds) =>
        double.IsNaN(milliseconds) ? "n/a" : milliseconds.ToString(Math.Abs(milliseconds) < 10 ? "0.000" : "0.0", s_invariant);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", s_invariant);
}

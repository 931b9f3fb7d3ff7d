using SiteCraft.Ml.Benchmarks.Measurement;

namespace SiteCraft.Ml.Benchmarks.Inference;

/// <summary>What one call at a time costs: the direct call and the call through the service, interleaved.</summary>
public static class SequentialPhase
{
    /// <summary>A broken service fails every call; past this many failures the phase stops.</summary>
    private const int FailureLimit = 50;

    /// <summary>
    /// <paramref name="warmup"/> pairs not counted, then <paramref name="pairs"/> counted. The order
    /// within a pair alternates, so neither path always runs right after the other. Then as many
    /// ListProviders calls: the gRPC round trip alone, the floor under any generation.
    /// </summary>
    public static async Task<SequentialResult> RunAsync(DirectCaller direct, ServiceCaller service, int warmup, int pairs, CancellationToken cancellationToken)
    {
        using var warmDirect = new LatencyRecorder(warmup);
        using var warmService = new LatencyRecorder(warmup);
        await RunPairsAsync(direct, service, warmDirect, warmService, warmup, cancellationToken);

        using var countedDirect = new LatencyRecorder(pairs);
        using var countedService = new LatencyRecorder(pairs);
        var started = DateTimeOffset.UtcNow;
        if (warmDirect.Failures + warmService.Failures == 0)
        {
            await RunPairsAsync(direct, service, countedDirect, countedService, pairs, cancellationToken);
        }

        var ended = DateTimeOffset.UtcNow;
        using var floor = new LatencyRecorder(pairs);
        for (var i = 0; i < pairs && floor.Failures < FailureLimit; i++)
        {
            await floor.TimeAsync(service.ListProvidersAsync, cancellationToken);
        }

        return new SequentialResult(
            CallStats.Of([countedDirect]),
            CallStats.Of([countedService]),
            CallStats.Of([floor]),
            started,
            ended,
            CallStats.Of([warmDirect]),
            CallStats.Of([warmService]));
    }

    private static async Task RunPairsAsync(
        DirectCaller direct, ServiceCaller service, LatencyRecorder directLatencies, LatencyRecorder serviceLatencies, int pairs, CancellationToken cancellationToken)
    {
        for (var i = 0; i < pairs && directLatencies.Failures + serviceLatencies.Failures < FailureLimit; i++)
        {
            if (i % 2 == 0)
            {
                await directLatencies.TimeAsync(direct.CallAsync, cancellationToken);
                await serviceLatencies.TimeAsync(service.CallAsync, cancellationToken);
            }
            else
            {
                await serviceLatencies.TimeAsync(service.CallAsync, cancellationToken);
                await directLatencies.TimeAsync(direct.CallAsync, cancellationToken);
            }
        }
    }
}

/// <summary>
/// The counted calls of both paths, the gRPC floor, the UTC window the generations ran in (to match
/// telemetry rows), and the warm-up's.
/// </summary>
public sealed record SequentialResult(
    CallStats Direct,
    CallStats Service,
    CallStats GrpcFloor,
    DateTimeOffset Started,
    DateTimeOffset Ended,
    CallStats WarmupDirect,
    CallStats WarmupService)
{
    public int Failures => Direct.Failures + Service.Failures + GrpcFloor.Failures + WarmupDirect.Failures + WarmupService.Failures;
}

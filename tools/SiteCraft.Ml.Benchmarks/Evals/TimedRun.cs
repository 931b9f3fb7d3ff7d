using SiteCraft.Ml.Evals.V1;

namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>One run as the client saw it: from StartRun to WatchRun's last event, and the final run.</summary>
public sealed record TimedRun(string Suite, TimeSpan Wall, Run Run)
{
    public double SamplesPerSecond => Run.DoneSamples / Wall.TotalSeconds;

    /// <summary>From the service's own timestamps: started_at to completed_at, without the queue and the watch's polling.</summary>
    public TimeSpan? Executing => Run.StartedAt is { } start && Run.CompletedAt is { } end ? end.ToDateTimeOffset() - start.ToDateTimeOffset() : null;
}

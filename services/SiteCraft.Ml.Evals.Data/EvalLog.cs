using Microsoft.Extensions.Logging;

namespace SiteCraft.Ml.Evals.Data;

/// <summary>The eval plane's log messages, source-generated so a disabled level costs nothing.</summary>
internal static partial class EvalLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Created eval run {RunId}: {Suite} ({Samples} samples) against {Target}")]
    public static partial void RunCreated(ILogger logger, Guid runId, string suite, int samples, EvalTarget target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Eval run {RunId}: {Remaining} of {Total} samples to go against {Target}")]
    public static partial void RunStarting(ILogger logger, Guid runId, int remaining, int total, EvalTarget target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Eval run {RunId} {Status}: {Samples} samples, error rate {ErrorRate}")]
    public static partial void RunFinished(ILogger logger, Guid runId, string status, int samples, double errorRate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Eval run {RunId} failed: {Reason}")]
    public static partial void RunFailed(ILogger logger, Guid runId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nightly evals for {Slot}: another replica is starting them")]
    public static partial void NightlyElsewhere(ILogger logger, string slot);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nightly evals for {Slot} already started")]
    public static partial void NightlyAlreadyStarted(ILogger logger, string slot);

    [LoggerMessage(Level = LogLevel.Error, Message = "Nightly eval of {Suite} against {Target} not started: {Problem}")]
    public static partial void NightlyNotStarted(ILogger logger, string suite, EvalTarget target, string problem);
}

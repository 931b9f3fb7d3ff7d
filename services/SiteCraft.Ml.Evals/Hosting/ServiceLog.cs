namespace SiteCraft.Ml.Evals.Hosting;

/// <summary>The eval service's log messages, source-generated so a disabled level costs nothing.</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Eval run {RunId} ended {Status}")]
    public static partial void RunEnded(ILogger logger, Guid runId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Eval run {RunId} interrupted by shutdown; it resumes on the next worker")]
    public static partial void RunInterrupted(ILogger logger, Guid runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Eval run {RunId} stopped with an error; it stays open and is retried")]
    public static partial void RunCrashed(ILogger logger, Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Eval suite not loaded: {Error}")]
    public static partial void SuiteNotLoaded(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Eval suites synced: {Count} loaded, {Added} new versions")]
    public static partial void SuitesSynced(ILogger logger, int count, int added);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nightly evals for {Slot}: {Count} runs started")]
    public static partial void NightlyStarted(ILogger logger, string slot, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Online eval scored {Count} generations")]
    public static partial void OnlineScored(ILogger logger, int count);
}

namespace SiteCraft.Ml.Inference.Telemetry;

internal static partial class TelemetryLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot write generation events to the database ({Reason}); spooling them to {SpoolDirectory} until it answers")]
    public static partial void DatabaseUnavailable(ILogger logger, string reason, string spoolDirectory);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refuses generation event writes ({Reason}); spooling them to {SpoolDirectory} and retrying until this is fixed")]
    public static partial void DatabaseRefusing(ILogger logger, string reason, string spoolDirectory);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Spool replay failed ({Reason}); {Backlog} events wait, next try in {DelayMs} ms")]
    public static partial void ReplayFailed(ILogger logger, string reason, long backlog, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "The spool is replayed; generation events go straight to the database again")]
    public static partial void SpoolReplayed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Found {Backlog} spooled generation events in {SpoolDirectory}; replaying them first")]
    public static partial void SpoolFound(ILogger logger, long backlog, string spoolDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped the torn last line {Line} of {Segment}: a write cut short by a crash")]
    public static partial void TornLineSkipped(ILogger logger, long line, string segment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped unreadable line {Line} of {Segment}")]
    public static partial void CorruptLineSkipped(ILogger logger, long line, string segment);

    [LoggerMessage(Level = LogLevel.Error, Message = "Generation event {EventId} was refused by the database: {Reason}; kept in {RejectedPath}")]
    public static partial void Rejected(ILogger logger, Guid eventId, string reason, string rejectedPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} generation events since the last report: the queue ({Capacity}) was full")]
    public static partial void Dropped(ILogger logger, long count, int capacity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot write {Count} generation events to the spool in {SpoolDirectory} ({Reason}); retrying in {DelayMs} ms")]
    public static partial void SpoolWriteFailed(ILogger logger, int count, string spoolDirectory, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Lost {Count} generation events at shutdown: neither the database nor the spool in {SpoolDirectory} took them")]
    public static partial void Lost(ILogger logger, int count, string spoolDirectory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot keep rejected generation event {EventId} in {RejectedPath} ({Reason}); it is lost")]
    public static partial void RejectedFileFailed(ILogger logger, Guid eventId, string rejectedPath, string reason);
}

namespace SiteCraft.Ml.Migrator;

internal static partial class MigratorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Migrations done for {Environment}: {Applied} applied, {AlreadyApplied} already applied")]
    public static partial void Finished(ILogger logger, int applied, int alreadyApplied, string environment);

    [LoggerMessage(Level = LogLevel.Error, Message = "Migrations refused: {Reason}")]
    public static partial void Refused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for the migration lock held by another migrator")]
    public static partial void WaitingForLock(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Script} in {ElapsedMs} ms")]
    public static partial void Applied(ILogger logger, string script, long elapsedMs);
}

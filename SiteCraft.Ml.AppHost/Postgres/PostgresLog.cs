using Microsoft.Extensions.Logging;

namespace SiteCraft.Ml.AppHost.Postgres;

internal static partial class PostgresLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Initialising a new PostgreSQL {Major} cluster in {DataDirectory}")]
    public static partial void Initialising(ILogger logger, int major, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created database {Database}")]
    public static partial void CreatedDatabase(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    public static partial void ToolOutput(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not prepare the databases on the local server")]
    public static partial void BootstrapFailed(ILogger logger, Exception exception);
}

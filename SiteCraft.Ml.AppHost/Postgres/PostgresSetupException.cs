namespace SiteCraft.Ml.AppHost.Postgres;

/// <summary>The database cannot be set up as configured; the message says what to change.</summary>
public sealed class PostgresSetupException(string message) : Exception(message);

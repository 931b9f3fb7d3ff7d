namespace Microsoft.Extensions.Hosting;

/// <summary>The platform database as every service and the AppHost name it.</summary>
public static class SiteCraftDatabase
{
    /// <summary>The connection string name injected by the AppHost's WithReference(db).</summary>
    public const string ConnectionName = "sitecraft";

    /// <summary>True for a failure of the database connection or server, as opposed to a bug in the caller.</summary>
    public static bool IsOutage(Exception exception) =>
        exception is Npgsql.NpgsqlException or TimeoutException || exception.InnerException is Npgsql.NpgsqlException;
}

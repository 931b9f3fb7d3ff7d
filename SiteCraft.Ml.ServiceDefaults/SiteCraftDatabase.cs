namespace Microsoft.Extensions.Hosting;

/// <summary>The platform database as every service and the AppHost name it.</summary>
public static class SiteCraftDatabase
{
    /// <summary>The connection string name injected by the AppHost's WithReference(db).</summary>
    public const string ConnectionName = "sitecraft";
}

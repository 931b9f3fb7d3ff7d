namespace SiteCraft.Ml.AppHost.Postgres;

/// <summary>
/// The machine's PostgreSQL server run as an Aspire executable. Its connection string has the same
/// form as the container resource's, so consumers cannot tell the two apart.
/// </summary>
public sealed class LocalPostgresServerResource(
    string name,
    string command,
    string workingDirectory,
    ParameterResource password,
    LocalPostgresLayout layout)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";
    public const string UserName = "postgres";

    public ParameterResource PasswordParameter { get; } = password;

    public LocalPostgresLayout Layout { get; } = layout;

    /// <summary>The databases this server creates when it is up.</summary>
    public IList<LocalPostgresDatabaseResource> Databases { get; } = [];

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");

    public ReferenceExpression UriExpression => ReferenceExpression.Create(
        $"postgresql://{UserName}:{PasswordParameter:uri}@{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");

    public ReferenceExpression JdbcExpression => ReferenceExpression.Create(
        $"jdbc:postgresql://{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");

    /// <summary>The same properties the container resource offers, so WithReference injects the same variables.</summary>
    public IEnumerable<KeyValuePair<string, ReferenceExpression>> GetConnectionProperties() =>
    [
        new("Host", ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Host)}")),
        new("Port", ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Port)}")),
        new("Username", ReferenceExpression.Create($"{UserName}")),
        new("Password", ReferenceExpression.Create($"{PasswordParameter}")),
        new("Uri", UriExpression),
        new("JdbcConnectionString", JdbcExpression),
    ];
}

/// <summary>A database on the local server; "Running" once it exists and accepts password logins.</summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public LocalPostgresServerResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{Parent.ConnectionStringExpression};Database={DatabaseName}");

    public IEnumerable<KeyValuePair<string, ReferenceExpression>> GetConnectionProperties() => Parent.CombineProperties(
    [
        new("DatabaseName", ReferenceExpression.Create($"{DatabaseName}")),
        new("Uri", ReferenceExpression.Create($"{Parent.UriExpression}/{DatabaseName}")),
        new("JdbcConnectionString", ReferenceExpression.Create($"{Parent.JdbcExpression}/{DatabaseName}")),
    ]);
}

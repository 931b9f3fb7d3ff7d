using Npgsql;

namespace SiteCraft.Ml.Cli.Commands;

/// <summary>
/// The --connection option of every command that works on the platform's database, with the
/// environment fallbacks a deployment sets (SITECRAFT_ML_DB, or the Aspire-style
/// ConnectionStrings__sitecraft). Create one per command.
/// </summary>
public sealed class DatabaseOption
{
    public const string EnvironmentVariable = "SITECRAFT_ML_DB";
    public const string AspireVariable = "ConnectionStrings__sitecraft";

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = $"Npgsql connection string of the SiteCraft.Ml database; default ${EnvironmentVariable}, then ${AspireVariable}.",
        HelpName = "CONNECTION",
    };

    public void AddTo(Command command) => command.Options.Add(Connection);

    /// <summary>A data source for the database, checked by opening one connection; a missing or bad setting is a <see cref="UsageException"/>.</summary>
    public async Task<NpgsqlDataSource> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var connectionString = NonEmpty(parse.GetValue(Connection))
            ?? NonEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable))
            ?? NonEmpty(Environment.GetEnvironmentVariable(AspireVariable))
            ?? throw new UsageException($"--connection is required (or set {EnvironmentVariable})");

        NpgsqlDataSource dataSource;
        try
        {
            dataSource = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--connection is not a valid connection string: {e.Message}", e);
        }

        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return dataSource;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await dataSource.DisposeAsync();
            throw new UsageException($"cannot reach the database of --connection: {e.Message}", e);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

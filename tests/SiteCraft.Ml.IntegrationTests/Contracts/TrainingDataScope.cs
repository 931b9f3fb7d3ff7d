using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using NpgsqlTypes;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Data.Registry;

namespace SiteCraft.Ml.IntegrationTests.Contracts;

/// <summary>
/// One test's own migrated database with the shipped training contract loaded (registered on
/// request), a clock the test controls and a snapshot folder that is removed afterwards.
/// </summary>
public sealed class TrainingDataScope : IAsyncDisposable
{
    public const string ContractId = "ai_training_examples";

    /// <summary>The tests' "now": fixed, so ages and generated snapshot ids are predictable.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private const string CopySql = """
        copy ai_training_examples
            (id, contract_id, contract_version, source, use_case, tenant_id, site_id, messages, completion,
             content_sha256, consent, quality_signals, created_at)
        from stdin (format binary)
        """;

    private TrainingDataScope(NpgsqlDataSourceOwner db, DataContract contract)
    {
        Db = db;
        Contract = contract;
    }

    public NpgsqlDataSourceOwner Db { get; }

    public DataContract Contract { get; }

    public FakeTimeProvider Time { get; } = new(Now);

    /// <summary>Where snapshots go; it does not exist until an export creates it.</summary>
    public string OutputRoot { get; } = Path.Combine(Path.GetTempPath(), $"sitecraft-snapshots-{Guid.NewGuid():N}");

    public static async Task<TrainingDataScope> CreateAsync(PlatformFixture platform, bool register = true)
    {
        var catalog = await ContractCatalog.LoadAsync(Path.Combine(AppContext.BaseDirectory, "contracts"), CancellationToken.None);
        var contract = catalog.Contracts.Single(c => c.Id == ContractId);
        var scope = new TrainingDataScope(new NpgsqlDataSourceOwner(await MigratedDatabase.CreateAsync(platform, "training")), contract);
        if (register)
        {
            await new ContractStore(scope.Db.DataSource).RegisterAsync(contract, CancellationToken.None);
        }

        return scope;
    }

    /// <summary>Stores another version of the contract (same body), so rows can name it.</summary>
    public async Task RegisterVersionAsync(string version)
    {
        await using var command = Db.DataSource.CreateCommand("insert into ai_data_contracts (contract_id, version, sha256, body) values ($1, $2, $3, $4)");
        command.Parameters.AddWithValue(ContractId);
        command.Parameters.AddWithValue(version);
        command.Parameters.AddWithValue(Contract.Sha256);
        command.Parameters.AddWithValue(Contract.Body);
        await command.ExecuteNonQueryAsync();
    }

    public async Task InsertAsync(IEnumerable<ExampleRow> rows)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync(CopySql);
        foreach (var row in rows)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid);
            await writer.WriteAsync(row.ContractId, NpgsqlDbType.Text);
            await writer.WriteAsync(row.ContractVersion, NpgsqlDbType.Text);
            await writer.WriteAsync(row.Source, NpgsqlDbType.Text);
            await writer.WriteAsync(row.UseCase, NpgsqlDbType.Text);
            await WriteNullableAsync(writer, row.TenantId);
            await WriteNullableAsync(writer, row.SiteId);
            await writer.WriteAsync(row.MessagesJson, NpgsqlDbType.Jsonb);
            await writer.WriteAsync(row.Completion, NpgsqlDbType.Text);
            await writer.WriteAsync(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(row.IdText))), NpgsqlDbType.Text);
            await writer.WriteAsync(row.Consent, NpgsqlDbType.Boolean);
            await writer.WriteAsync(row.QualitySignalsJson, NpgsqlDbType.Jsonb);
            await writer.WriteAsync(row.CreatedAt, NpgsqlDbType.TimestampTz);
        }

        await writer.CompleteAsync();
    }

    /// <summary><paramref name="count"/> valid rows with ids from a seeded generator, so a run is repeatable.</summary>
    public static List<ExampleRow> Rows(int count, int seed, Func<int, ExampleRow, ExampleRow>? shape = null)
    {
        var random = new Random(seed);
        var rows = new List<ExampleRow>(count);
        for (var i = 0; i < count; i++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            var row = new ExampleRow { Id = new Guid(bytes) };
            rows.Add(shape is null ? row : shape(i, row));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        if (Directory.Exists(OutputRoot))
        {
            Directory.Delete(OutputRoot, recursive: true);
        }
    }

    private static async Task WriteNullableAsync(Npgsql.NpgsqlBinaryImporter writer, string? value)
    {
        if (value is null)
        {
            await writer.WriteNullAsync();
        }
        else
        {
            await writer.WriteAsync(value, NpgsqlDbType.Text);
        }
    }
}

using System.Data;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Data.Snapshots;

/// <summary>
/// Exports a dataset snapshot: the contract's consented rows of ai_training_examples that pass
/// the filters, streamed in id order into one JSONL file per split, with a manifest of hashes,
/// then registered in ai_dataset_snapshots. The files are written into a hidden folder and
/// renamed into place, so a reader never sees half a snapshot.
/// </summary>
public sealed partial class SnapshotExporter(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>The table snapshots read; its rows are chat examples.</summary>
    public const string Table = "ai_training_examples";

    private const string ContractSql = "select sha256 from ai_data_contracts where contract_id = $1 and version = $2";

    private const string SnapshotExistsSql = "select exists (select 1 from ai_dataset_snapshots where snapshot_id = $1)";

    // Only rows validated under this very version: a snapshot names one contract version, and the
    // rules of another version did not vouch for the rest.
    private const string SelectSql = $"""
        select {ChatExample.Columns}
        from ai_training_examples
        where contract_id = $1 and contract_version = $2 and consent
          and (cardinality($3::text[]) = 0 or use_case = any($3::text[]))
          and (cardinality($4::text[]) = 0 or source = any($4::text[]))
          and ($5::timestamptz is null or created_at >= $5::timestamptz)
          and ($6::timestamptz is null or created_at < $6::timestamptz)
          and ($7::float8 is null or case when jsonb_typeof(quality_signals -> 'online_score') = 'number'
                                          then (quality_signals ->> 'online_score')::float8 end >= $7::float8)
        order by id
        """;

    private const string RegisterSql = """
        insert into ai_dataset_snapshots
            (snapshot_id, contract_id, contract_version, filters, split_ratios, record_counts, files, manifest, manifest_sha256, created_at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        """;

    private const int ProgressEvery = 1000;

    /// <summary>
    /// Exports the snapshot into <c>&lt;outputRoot&gt;/&lt;snapshot_id&gt;/</c> and registers it.
    /// <paramref name="progress"/> hears the number of records written so far.
    /// </summary>
    /// <exception cref="SnapshotRequestException">The request is invalid, or its snapshot id is taken; nothing was written.</exception>
    public async Task<SnapshotResult> ExportAsync(SnapshotRequest request, string outputRoot, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Contract);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);

        var contract = request.Contract;
        CheckContractTable(contract);
        var splits = SnapshotSplits.Create(request.SplitRatios);
        var filters = Normalized(request.Filters);
        var createdAt = Microseconds(time.GetUtcNow());
        var snapshotId = request.SnapshotId ?? NewSnapshotId(createdAt);
        if (!SnapshotId().IsMatch(snapshotId))
        {
            throw new SnapshotRequestException("snapshot_id", $"'{snapshotId}' must match ^[A-Za-z0-9][A-Za-z0-9._-]{{0,127}}$");
        }

        var root = Path.GetFullPath(outputRoot);
        var directory = Path.Combine(root, snapshotId);
        await CheckNewAsync(snapshotId, directory, cancellationToken);
        await CheckRegisteredAsync(contract, cancellationToken);

        Directory.CreateDirectory(root);
        // Hidden and never a valid snapshot id (ids start with a letter or digit).
        var staging = Path.Combine(root, $".{snapshotId}.{RandomNumberGenerator.GetHexString(8, lowercase: true)}.partial");
        Directory.CreateDirectory(staging);
        SnapshotManifest manifest;
        byte[] manifestBytes;
        try
        {
            var files = await WriteSplitsAsync(staging, contract, filters, splits, progress, cancellationToken);
            manifest = new SnapshotManifest(
                SnapshotManifest.CurrentFormat,
                snapshotId,
                new SnapshotContract(contract.Id, contract.Version, contract.Sha256),
                createdAt,
                $"rows of {Table} with contract_id = '{contract.Id}', contract_version = '{contract.Version}' (rows of other versions are not included) and consent = true, that pass the filters, in id order",
                filters,
                splits.Ratios,
                SnapshotSplits.KeyDescription,
                OmittedFields(contract),
                RecordCounts(files),
                files);
            manifestBytes = manifest.ToUtf8Json();
            await WriteManifestAsync(staging, manifestBytes, cancellationToken);
            MoveIntoPlace(staging, directory, snapshotId);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        var manifestSha256 = Convert.ToHexStringLower(SHA256.HashData(manifestBytes));
        var manifestJson = Encoding.UTF8.GetString(manifestBytes);
        var registered = false;
        try
        {
            await RegisterAsync(manifest, manifestJson, manifestSha256, cancellationToken);
            registered = true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new SnapshotRequestException("snapshot_id", $"'{snapshotId}' was registered by another export meanwhile");
        }
        finally
        {
            // A folder no row points to is a snapshot nobody can find or trust.
            if (!registered)
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        return new SnapshotResult(snapshotId, directory, manifest, manifestJson, manifestSha256);
    }

    private static void CheckContractTable(DataContract contract)
    {
        if (contract.Schema.StoredName != Table)
        {
            throw new SnapshotRequestException("contract", $"contract {contract.Key} stores its records in '{contract.Schema.StoredName}'; snapshots export the chat examples of {Table}");
        }

        foreach (var field in ChatExample.Fields)
        {
            if (contract.Schema.Property(field) is { Classification: "restricted" })
            {
                throw new SnapshotRequestException("contract", $"contract {contract.Key} classifies '{field}' as restricted, and the snapshot format exports it");
            }
        }
    }

    private static SnapshotFilters Normalized(SnapshotFilters filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.CreatedFrom is { } from && filters.CreatedBefore is { } before && from >= before)
        {
            throw new SnapshotRequestException("filters.created_before", $"{before:O} must be after created_from {from:O}");
        }

        if (filters.MinOnlineScore is { } score && !double.IsFinite(score))
        {
            throw new SnapshotRequestException("filters.min_online_score", $"{score.ToString(CultureInfo.InvariantCulture)} is not a number");
        }

        // Sorted and distinct, so the same selection is described (and registered) the same way.
        return new SnapshotFilters(
            Values(filters.UseCases, "filters.use_cases"),
            Values(filters.Sources, "filters.sources"),
            filters.CreatedFrom?.ToUniversalTime(),
            filters.CreatedBefore?.ToUniversalTime(),
            filters.MinOnlineScore);
    }

    private static string[] Values(IReadOnlyList<string> values, string field)
    {
        if (values is null)
        {
            return [];
        }

        if (values.Any(v => v is null))
        {
            throw new SnapshotRequestException(field, "holds a null entry");
        }

        return [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static DateTimeOffset Microseconds(DateTimeOffset now) =>
        new(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);

    private static string NewSnapshotId(DateTimeOffset createdAt) =>
        $"ds-{createdAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";

    private async Task CheckNewAsync(string snapshotId, string directory, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SnapshotExistsSql);
        command.Parameters.Add(new() { Value = snapshotId });
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            throw new SnapshotRequestException("snapshot_id", $"'{snapshotId}' already exists in ai_dataset_snapshots; snapshots are never overwritten");
        }

        if (Directory.Exists(directory))
        {
            throw new SnapshotRequestException("snapshot_id", $"'{directory}' already exists; snapshots are never overwritten");
        }
    }

    private async Task CheckRegisteredAsync(DataContract contract, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ContractSql);
        command.Parameters.Add(new() { Value = contract.Id });
        command.Parameters.Add(new() { Value = contract.Version });
        var stored = await command.ExecuteScalarAsync(cancellationToken) as string;
        if (stored is null)
        {
            throw new SnapshotRequestException("contract", $"contract {contract.Key} is not registered in ai_data_contracts");
        }

        // The manifest names the contract by its hash; it must be the hash the rows were validated under.
        if (stored != contract.Sha256)
        {
            throw new SnapshotRequestException("contract", $"contract {contract.Key} is registered with sha256 {stored}, not {contract.Sha256}");
        }
    }

    private async Task<List<SnapshotFile>> WriteSplitsAsync(
        string staging, DataContract contract, SnapshotFilters filters, SnapshotSplits splits, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var writers = new List<SplitFileWriter>(splits.Names.Count);
        try
        {
            // Every split gets its file, even an empty one: a reader can rely on the names.
            foreach (var split in splits.Names)
            {
                writers.Add(new SplitFileWriter(staging, split));
            }

            await using var command = dataSource.CreateCommand(SelectSql);
            command.Parameters.Add(new() { Value = contract.Id });
            command.Parameters.Add(new() { Value = contract.Version });
            command.Parameters.Add(new() { Value = filters.UseCases.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = filters.Sources.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = (object?)filters.CreatedFrom ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new() { Value = (object?)filters.CreatedBefore ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new() { Value = (object?)filters.MinOnlineScore ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });

            // Streamed row by row: a snapshot of millions of rows needs no more memory than one.
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            long written = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                var example = ChatExample.Read(reader);
                await writers[splits.IndexOf(example.Id)].WriteAsync(example, cancellationToken);
                if (++written % ProgressEvery == 0)
                {
                    progress?.Report(written);
                }
            }

            progress?.Report(written);
            var files = new List<SnapshotFile>(writers.Count);
            foreach (var writer in writers)
            {
                files.Add(await writer.CompleteAsync(cancellationToken));
            }

            return files;
        }
        finally
        {
            foreach (var writer in writers)
            {
                await writer.DisposeAsync();
            }
        }
    }

    private static async Task WriteManifestAsync(string staging, byte[] manifest, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(Path.Combine(staging, SnapshotManifest.FileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        await stream.WriteAsync(manifest, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        stream.Flush(flushToDisk: true);
    }

    private static void MoveIntoPlace(string staging, string directory, string snapshotId)
    {
        try
        {
            Directory.Move(staging, directory);
        }
        catch (IOException) when (Directory.Exists(directory))
        {
            throw new SnapshotRequestException("snapshot_id", $"'{directory}' was created by another export meanwhile");
        }
    }

    private static string[] OmittedFields(DataContract contract) =>
        [.. contract.Schema.Properties.Select(p => p.Name).Where(name => !ChatExample.Fields.Contains(name))];

    private static SortedDictionary<string, long> RecordCounts(List<SnapshotFile> files)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            counts[file.Split] = file.Records;
        }

        counts[SnapshotSplits.TotalKey] = files.Sum(f => f.Records);
        return counts;
    }

    private async Task RegisterAsync(SnapshotManifest manifest, string manifestJson, string manifestSha256, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(RegisterSql);
        command.Parameters.Add(new() { Value = manifest.SnapshotId });
        command.Parameters.Add(new() { Value = manifest.Contract.Id });
        command.Parameters.Add(new() { Value = manifest.Contract.Version });
        command.Parameters.Add(Jsonb(manifest.Filters));
        command.Parameters.Add(Jsonb(manifest.SplitRatios));
        command.Parameters.Add(Jsonb(manifest.RecordCounts));
        command.Parameters.Add(Jsonb(manifest.Files));
        command.Parameters.Add(new() { Value = manifestJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = manifestSha256 });
        command.Parameters.Add(new() { Value = manifest.CreatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Jsonb<T>(T value) =>
        new() { Value = JsonSerializer.Serialize(value, SnapshotManifest.JsonOptions), NpgsqlDbType = NpgsqlDbType.Jsonb };

    // \z, not $: $ also matches before a final newline, which would end up in a folder name.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SnapshotId();
}

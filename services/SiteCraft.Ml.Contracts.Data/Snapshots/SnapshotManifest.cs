using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;

namespace SiteCraft.Ml.Contracts.Data.Snapshots;

/// <summary>
/// manifest.json of a dataset snapshot: what was selected, how it was split, and each file's
/// sha256, size and line count. The training program runs <see cref="VerifyAsync(string, CancellationToken)"/>
/// before it trains, so a file changed, cut short or lost since the export is caught.
/// </summary>
public sealed record SnapshotManifest(
    string Format,
    string SnapshotId,
    SnapshotContract Contract,
    DateTimeOffset CreatedAt,
    string Selection,
    SnapshotFilters Filters,
    IReadOnlyDictionary<string, double> SplitRatios,
    string SplitKey,
    IReadOnlyList<string> OmittedFields,
    IReadOnlyDictionary<string, long> RecordCounts,
    IReadOnlyList<SnapshotFile> Files)
{
    public const string FileName = "manifest.json";

    /// <summary>The file format this code writes and reads; a reader refuses any other.</summary>
    public const string CurrentFormat = "sitecraft-chat-jsonl/1";

    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Split names are keys as given, not properties to rename.
        DictionaryKeyPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The manifest as written to manifest.json.</summary>
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    /// <summary>Reads a snapshot folder's manifest.json.</summary>
    /// <exception cref="FileNotFoundException">The folder has no manifest.json.</exception>
    /// <exception cref="InvalidDataException">manifest.json is not a manifest of <see cref="CurrentFormat"/>.</exception>
    public static async Task<SnapshotManifest> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        SnapshotManifest? manifest;
        try
        {
            manifest = await JsonSerializer.DeserializeAsync<SnapshotManifest>(stream, JsonOptions, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a snapshot manifest: {e.Message}", e);
        }

        if (manifest is null)
        {
            throw new InvalidDataException($"{path}: not a snapshot manifest: the file holds null");
        }

        if (manifest.Format != CurrentFormat)
        {
            throw new InvalidDataException($"{path}: format '{manifest.Format}' is not {CurrentFormat}");
        }

        return manifest;
    }

    /// <summary>
    /// Re-hashes every file the manifest lists, counts its lines and compares both with the
    /// manifest; returns every problem found (an empty list means the snapshot is intact).
    /// </summary>
    public static Task<IReadOnlyList<string>> VerifyAsync(string directory, CancellationToken cancellationToken) =>
        VerifyAsync(directory, expectedManifestSha256: null, cancellationToken);

    /// <summary>
    /// As <see cref="VerifyAsync(string, CancellationToken)"/>, and also checks manifest.json
    /// against the hash registered in ai_dataset_snapshots, so an edited manifest is caught too.
    /// </summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(string directory, string? expectedManifestSha256, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var manifestPath = Path.Combine(directory, FileName);
        if (!File.Exists(manifestPath))
        {
            problems.Add($"{FileName}: missing");
            return problems;
        }

        if (expectedManifestSha256 is not null)
        {
            var actual = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(manifestPath, cancellationToken)));
            if (!string.Equals(actual, expectedManifestSha256, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{FileName}: sha256 is {actual}, expected {expectedManifestSha256}");
            }
        }

        SnapshotManifest manifest;
        try
        {
            manifest = await ReadAsync(directory, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            problems.Add(e.Message);
            return problems;
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            listed.Add(file.Name);
            problems.AddRange(await VerifyFileAsync(directory, file, cancellationToken));
            if (!manifest.RecordCounts.TryGetValue(file.Split, out var counted) || counted != file.Records)
            {
                problems.Add($"record_counts: {file.Split} is {Count(manifest.RecordCounts, file.Split)}, its file lists {file.Records}");
            }
        }

        var total = manifest.Files.Sum(f => f.Records);
        if (!manifest.RecordCounts.TryGetValue(SnapshotSplits.TotalKey, out var stated) || stated != total)
        {
            problems.Add($"record_counts: total is {Count(manifest.RecordCounts, SnapshotSplits.TotalKey)}, the files hold {total}");
        }

        // A reader that globs *.jsonl would train on a file nobody verified.
        foreach (var path in Directory.EnumerateFiles(directory, "*.jsonl").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (!listed.Contains(name))
            {
                problems.Add($"{name}: not listed in the manifest");
            }
        }

        return problems;
    }

    private static async Task<List<string>> VerifyFileAsync(string directory, SnapshotFile file, CancellationToken cancellationToken)
    {
        // A manifest could be edited to point outside its folder; names are plain file names.
        if (file.Name.Length == 0 || file.Name != Path.GetFileName(file.Name) || file.Name is "." or "..")
        {
            return [$"{file.Name}: not a file name in the snapshot folder"];
        }

        var path = Path.Combine(directory, file.Name);
        if (!File.Exists(path))
        {
            return [$"{file.Name}: missing"];
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long bytes = 0;
        long lines = 0;
        var last = (byte)'\n';
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                var chunk = buffer.AsSpan(0, read);
                hash.AppendData(chunk);
                lines += chunk.Count((byte)'\n');
                bytes += read;
                last = chunk[^1];
            }
        }

        // A file cut mid-line still holds that partial record.
        if (last != (byte)'\n')
        {
            lines++;
        }

        var problems = new List<string>();
        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{file.Name}: sha256 is {sha256}, the manifest says {file.Sha256}");
        }

        if (bytes != file.Bytes)
        {
            problems.Add($"{file.Name}: {bytes} bytes, the manifest says {file.Bytes}");
        }

        if (lines != file.Records)
        {
            problems.Add($"{file.Name}: {lines} records, the manifest says {file.Records}");
        }

        return problems;
    }

    private static string Count(IReadOnlyDictionary<string, long> counts, string key) =>
        counts.TryGetValue(key, out var value) ? value.ToString(CultureInfo.InvariantCulture) : "missing";
}

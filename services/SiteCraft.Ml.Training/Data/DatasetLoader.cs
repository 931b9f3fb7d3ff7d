using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using SiteCraft.Ml.Contracts.Data.Snapshots;
using SiteCraft.Ml.Training.Corpus;

namespace SiteCraft.Ml.Training.Data;

/// <summary>Reads a dataset snapshot exported by the contracts service, or generates the synthetic corpus.</summary>
internal static class DatasetLoader
{
    /// <summary>The share of synthetic examples held out for validation loss, by the snapshot's stable id hash.</summary>
    public const double SyntheticValidationShare = 0.02;

    /// <summary>Verifies the snapshot against its manifest, then reads its train and validation files.</summary>
    public static async Task<Dataset> FromSnapshotAsync(string directory, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(directory, SnapshotManifest.FileName)))
        {
            throw new TrainingInputException($"--snapshot {directory}: no {SnapshotManifest.FileName} there; export one with `sitecraft-ml data export --out DIR`.");
        }

        var problems = await SnapshotManifest.VerifyAsync(directory, cancellationToken);
        if (problems.Count > 0)
        {
            throw new TrainingInputException($"--snapshot {directory} does not match its manifest: {string.Join("; ", problems)}");
        }

        var manifest = await SnapshotManifest.ReadAsync(directory, cancellationToken);
        var manifestSha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(directory, SnapshotManifest.FileName), cancellationToken)));
        var train = new List<TrainingExample>();
        var validation = new List<TrainingExample>();
        foreach (var file in manifest.Files)
        {
            var target = file.Split == "train" ? train : file.Split is "validation" or "val" ? validation : null;
            if (target is null)
            {
                continue;
            }

            await using var stream = File.OpenRead(Path.Combine(directory, file.Name));
            target.AddRange(ReadJsonl(stream, file.Name));
        }

        if (train.Count == 0)
        {
            throw new TrainingInputException($"--snapshot {directory}: the train split is empty.");
        }

        return new Dataset(manifest.SnapshotId, manifestSha, Synthetic: false, train, validation);
    }

    /// <summary>The synthetic SiteCraft corpus for a seed, split by the same stable hash snapshots use.</summary>
    public static Dataset Synthetic(int seed, int briefs)
    {
        var examples = SiteCorpus.Generate(seed, briefs).ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var sink = new HashingStream(hash))
        {
            SiteCorpus.WriteJsonl(examples, sink);
        }

        var splits = SnapshotSplits.Create(new Dictionary<string, double>
        {
            ["train"] = 1 - SyntheticValidationShare,
            ["validation"] = SyntheticValidationShare,
        });
        var train = new List<TrainingExample>();
        var validation = new List<TrainingExample>();
        foreach (var example in examples)
        {
            var converted = new TrainingExample(example.Id, example.UseCase, [.. example.Messages.Select(m => (m.Role, m.Content))], example.Completion);
            (splits.SplitOf(example.Id) == "train" ? train : validation).Add(converted);
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"synthetic-corpus/seed-{seed}/briefs-{briefs}");
        return new Dataset(id, Convert.ToHexStringLower(hash.GetHashAndReset()), Synthetic: true, train, validation);
    }

    /// <summary>Reads sitecraft-chat-jsonl/1 lines: id, use_case, messages [{role, content}], completion.</summary>
    internal static IEnumerable<TrainingExample> ReadJsonl(Stream stream, string fileName)
    {
        using var reader = new StreamReader(stream);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            yield return ParseLine(line, $"{fileName}:{lineNumber}");
        }
    }

    private static TrainingExample ParseLine(string line, string where)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var messages = new List<(string, string)>();
            foreach (var message in Required(root, "messages", JsonValueKind.Array, where).EnumerateArray())
            {
                messages.Add((Required(message, "role", JsonValueKind.String, where).GetString()!, Required(message, "content", JsonValueKind.String, where).GetString()!));
            }

            return new TrainingExample(
                Required(root, "id", JsonValueKind.String, where).GetString()!,
                Required(root, "use_case", JsonValueKind.String, where).GetString()!,
                messages,
                Required(root, "completion", JsonValueKind.String, where).GetString()!);
        }
        catch (JsonException e)
        {
            throw new TrainingInputException($"{where}: not a JSON object ({e.Message})");
        }
    }

    private static JsonElement Required(JsonElement element, string name, JsonValueKind kind, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new TrainingInputException($"{where}: field '{name}' is missing or not a {kind.ToString().ToLowerInvariant()}");

    /// <summary>A write-only stream that only hashes what is written.</summary>
    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);
    }
}

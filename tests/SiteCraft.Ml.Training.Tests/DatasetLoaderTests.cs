using System.Security.Cryptography;
using SiteCraft.Ml.Contracts.Data.Snapshots;
using SiteCraft.Ml.Training.Corpus;
using SiteCraft.Ml.Training.Data;

namespace SiteCraft.Ml.Training.Tests;

/// <summary>The training input: a snapshot as the contracts service exports it, or the synthetic corpus.</summary>
public sealed class DatasetLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sitecraft-snapshot-").FullName;

    [Fact]
    public async Task A_verified_snapshot_is_read_split_by_split()
    {
        var examples = SiteCorpus.Generate(seed: 11, briefCount: 5).ToList();
        WriteSnapshot(examples.Take(15), examples.Skip(15));

        var dataset = await DatasetLoader.FromSnapshotAsync(_directory, CancellationToken.None);

        Assert.Equal("snap-test", dataset.SnapshotId);
        Assert.False(dataset.Synthetic);
        Assert.Equal(15, dataset.Train.Count);
        Assert.Equal(examples.Count - 15, dataset.Validation.Count);
        Assert.Equal(examples[0].Completion, dataset.Train[0].Completion);
        Assert.Equal(examples[0].Messages.Select(m => (m.Role, m.Content)), dataset.Train[0].Messages);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_directory, SnapshotManifest.FileName)))), dataset.Sha256);
    }

    [Fact]
    public async Task A_snapshot_file_changed_after_export_is_refused_naming_the_file()
    {
        var examples = SiteCorpus.Generate(seed: 11, briefCount: 3).ToList();
        WriteSnapshot(examples.Take(8), examples.Skip(8));
        await File.AppendAllTextAsync(Path.Combine(_directory, "train.jsonl"), "{\"id\":\"smuggled\"}\n");

        var error = await Assert.ThrowsAsync<TrainingInputException>(() => DatasetLoader.FromSnapshotAsync(_directory, CancellationToken.None));
        Assert.Contains("train.jsonl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_without_a_manifest_is_refused_with_how_to_make_one()
    {
        var error = await Assert.ThrowsAsync<TrainingInputException>(() => DatasetLoader.FromSnapshotAsync(_directory, CancellationToken.None));
        Assert.Contains("manifest.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("data export", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_missing_a_field_names_the_file_line_and_field()
    {
        using var stream = new MemoryStream("{\"id\":\"a\",\"use_case\":\"site.seo.meta\",\"messages\":[],\"completion\":\"x\"}\n{\"id\":\"b\",\"use_case\":\"site.seo.meta\",\"messages\":[]}\n"u8.ToArray());
        var error = Assert.Throws<TrainingInputException>(() => DatasetLoader.ReadJsonl(stream, "train.jsonl").ToList());
        Assert.Equal("train.jsonl:2: field 'completion' is missing or not a string", error.Message);
    }

    [Fact]
    public void The_synthetic_corpus_is_split_by_the_snapshot_hash_and_is_the_same_for_a_seed()
    {
        var first = DatasetLoader.Synthetic(seed: 9, briefs: 300);
        var second = DatasetLoader.Synthetic(seed: 9, briefs: 300);
        var splits = SnapshotSplits.Create(new Dictionary<string, double> { ["train"] = 0.98, ["validation"] = 0.02 });

        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(1200, first.Train.Count + first.Validation.Count);
        Assert.NotEmpty(first.Validation);
        Assert.All(first.Validation, e => Assert.Equal("validation", splits.SplitOf(e.Id)));
        Assert.All(first.Train, e => Assert.Equal("train", splits.SplitOf(e.Id)));
        Assert.NotEqual(first.Sha256, DatasetLoader.Synthetic(seed: 10, briefs: 300).Sha256);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void WriteSnapshot(IEnumerable<CorpusExample> train, IEnumerable<CorpusExample> validation)
    {
        var files = new List<SnapshotFile>();
        foreach (var (split, rows) in new[] { ("train", train.ToList()), ("validation", validation.ToList()) })
        {
            var path = Path.Combine(_directory, $"{split}.jsonl");
            using (var stream = File.Create(path))
            {
                SiteCorpus.WriteJsonl(rows, stream);
            }

            files.Add(new SnapshotFile($"{split}.jsonl", split, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), new FileInfo(path).Length, rows.Count));
        }

        var counts = files.ToDictionary(f => f.Split, f => f.Records);
        counts["total"] = files.Sum(f => f.Records);
        var manifest = new SnapshotManifest(
            SnapshotManifest.CurrentFormat,
            "snap-test",
            new SnapshotContract("ai_training_examples", "1.0.0", new string('0', 64)),
            DateTimeOffset.UnixEpoch,
            "test",
            SnapshotFilters.None,
            new Dictionary<string, double> { ["train"] = 0.9, ["validation"] = 0.1 },
            SnapshotSplits.KeyDescription,
            [],
            counts,
            files);
        File.WriteAllBytes(Path.Combine(_directory, SnapshotManifest.FileName), manifest.ToUtf8Json());
    }
}

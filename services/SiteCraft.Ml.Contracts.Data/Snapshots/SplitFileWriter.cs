using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;

namespace SiteCraft.Ml.Contracts.Data.Snapshots;

/// <summary>
/// Writes one split's JSONL file and hashes each line as it goes, so the manifest's sha256 is of
/// the bytes written, without reading the file back.
/// </summary>
internal sealed class SplitFileWriter : IAsyncDisposable
{
    // Completions are HTML and JSON: escaping every < and " inside them as \u003C would bloat the
    // files for no reader's benefit (the lines are never embedded in a page).
    private static readonly JsonWriterOptions s_jsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly FileStream _stream;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ArrayBufferWriter<byte> _line = new(16 * 1024);
    private readonly Utf8JsonWriter _json;

    public SplitFileWriter(string directory, string split)
    {
        Split = split;
        FileName = split + ".jsonl";
        _stream = new FileStream(Path.Combine(directory, FileName), new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 64 * 1024,
        });
        _json = new Utf8JsonWriter(_line, s_jsonOptions);
    }

    public string Split { get; }

    public string FileName { get; }

    public long Records { get; private set; }

    public long Bytes { get; private set; }

    public async ValueTask WriteAsync(ChatExample example, CancellationToken cancellationToken)
    {
        _line.ResetWrittenCount();
        _json.Reset(_line);
        example.WriteTo(_json);
        _json.Flush();
        _line.Write("\n"u8);

        _hash.AppendData(_line.WrittenSpan);
        await _stream.WriteAsync(_line.WrittenMemory, cancellationToken);
        Bytes += _line.WrittenCount;
        Records++;
    }

    /// <summary>Flushes the file to disk and describes it; call once, after the last record.</summary>
    public async Task<SnapshotFile> CompleteAsync(CancellationToken cancellationToken)
    {
        await _stream.FlushAsync(cancellationToken);
        // A snapshot that a crash can leave half on disk is worse than none: the bytes reach the disk before the folder is renamed into place.
        _stream.Flush(flushToDisk: true);
        return new SnapshotFile(FileName, Split, Convert.ToHexStringLower(_hash.GetHashAndReset()), Bytes, Records);
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await _stream.DisposeAsync();
        _hash.Dispose();
    }
}

using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace SiteCraft.Ml.Inference.Telemetry;

/// <summary>
/// Batches the database could not take, on local disk in the order they came: numbered segment files of
/// JSON lines, appended and fsync'd batch by batch, replayed oldest first and deleted once written. A
/// crash mid-append leaves at most a torn last line in the newest segment, which replay skips.
/// Not thread-safe: only the writer's loop uses it.
/// </summary>
internal sealed class GenerationEventSpool(string directory, ILogger logger) : IDisposable
{
    public const string RejectedFileName = "rejected.jsonl";

    private const string SegmentPrefix = "spool-";
    private const string SegmentExtension = ".jsonl";
    private const string LockFileName = "spool.lock";

    // Big enough that an outage makes few files, small enough that a replayed file is soon deleted.
    private const long SegmentLimitBytes = 64L << 20;

    private readonly Queue<string> _segments = new();
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly List<GenerationEvent> _chunk = [];
    private FileStream? _lock;
    private long _nextSequence = 1;
    private long _backlog;

    private SafeFileHandle? _appendHandle;
    private string? _appendPath;
    private long _appendOffset;

    private StreamReader? _replayReader;
    private string? _replayPath;
    private long _replayLine;
    private string? _lookahead;

    public string RejectedPath => Path.Combine(directory, RejectedFileName);

    /// <summary>True while any batch waits on disk: new batches must queue behind it to keep the order.</summary>
    public bool HasBacklog => _segments.Count > 0;

    /// <summary>Events on disk not yet written (read from any thread, for the gauge and Pending).</summary>
    public long Backlog => Interlocked.Read(ref _backlog);

    /// <summary>
    /// Creates the folder, takes its lock (two writers on one spool would replay each other's files
    /// mid-append) and finds the segments a previous run left.
    /// </summary>
    public void Open()
    {
        Directory.CreateDirectory(directory);
        _lock = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var segments = Directory.EnumerateFiles(directory, SegmentPrefix + "*" + SegmentExtension)
            .Select(path => (Path: path, Sequence: SequenceOf(path)))
            .Where(segment => segment.Sequence > 0)
            .OrderBy(segment => segment.Sequence);
        foreach (var (path, sequence) in segments)
        {
            _segments.Enqueue(path);
            _backlog += CountLines(path);
            _nextSequence = sequence + 1;
        }
    }

    /// <summary>Appends rows[start..] as one durable write: when this returns the batch survives a crash.</summary>
    public async Task AppendAsync(IReadOnlyList<GenerationEvent> rows, int start, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            for (var i = start; i < rows.Count; i++)
            {
                JsonSerializer.Serialize(json, rows[i], TelemetryJsonContext.Default.GenerationEvent);
                json.Flush();
                _buffer.Write("\n"u8);
                json.Reset();
            }
        }

        if (_appendHandle is null || _appendOffset >= SegmentLimitBytes)
        {
            StartSegment();
        }

        // A failed write leaves the offset where it was, so the retry overwrites any partial bytes.
        await RandomAccess.WriteAsync(_appendHandle!, _buffer.WrittenMemory, _appendOffset, cancellationToken);
        RandomAccess.FlushToDisk(_appendHandle!);
        _appendOffset += _buffer.WrittenCount;
        Interlocked.Add(ref _backlog, rows.Count - start);
    }

    /// <summary>
    /// The oldest events not yet written, at most <paramref name="max"/>; the same ones again until
    /// <see cref="Advance"/> settles them. Empty when the spool is empty.
    /// </summary>
    public async Task<IReadOnlyList<GenerationEvent>> PeekAsync(int max, CancellationToken cancellationToken)
    {
        while (_chunk.Count == 0)
        {
            if (_replayReader is null)
            {
                if (!_segments.TryPeek(out var path))
                {
                    return _chunk;
                }

                if (path == _appendPath)
                {
                    // Later batches start a new segment, so the one being replayed never changes under us.
                    CloseAppend();
                }

                _replayReader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
                _replayPath = path;
                _replayLine = 0;
                _lookahead = await _replayReader.ReadLineAsync(cancellationToken);
            }

            while (_chunk.Count < max && _lookahead is not null)
            {
                var line = _lookahead;
                _replayLine++;
                _lookahead = await _replayReader.ReadLineAsync(cancellationToken);
                if (TryParse(line) is { } e)
                {
                    _chunk.Add(e);
                    continue;
                }

                if (_lookahead is null)
                {
                    TelemetryLog.TornLineSkipped(logger, _replayLine, _replayPath!);
                }
                else
                {
                    TelemetryLog.CorruptLineSkipped(logger, _replayLine, _replayPath!);
                }

                Interlocked.Decrement(ref _backlog);
            }

            if (_chunk.Count == 0)
            {
                FinishSegment();
            }
        }

        return _chunk;
    }

    /// <summary>The first <paramref name="settled"/> events of the last peek are written or rejected.</summary>
    public void Advance(int settled)
    {
        _chunk.RemoveRange(0, settled);
        if (_chunk.Count == 0 && _lookahead is null && _replayReader is not null)
        {
            FinishSegment();
        }

        // After the delete, so a backlog of 0 means the folder holds no segment either.
        Interlocked.Add(ref _backlog, -settled);
    }

    /// <summary>Keeps a row the table refused, with the reason, for a person to look at.</summary>
    public async Task RejectAsync(GenerationEvent e, string reason, DateTimeOffset rejectedAt, CancellationToken cancellationToken)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(
            new RejectedGenerationEvent(rejectedAt, reason, e), TelemetryJsonContext.Default.RejectedGenerationEvent);
        await using var file = new FileStream(RejectedPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        await file.WriteAsync(line, cancellationToken);
        await file.WriteAsync("\n"u8.ToArray(), cancellationToken);
        await file.FlushAsync(cancellationToken);
        file.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        CloseAppend();
        _replayReader?.Dispose();
        _lock?.Dispose();
    }

    private void StartSegment()
    {
        CloseAppend();
        var path = Path.Combine(directory, $"{SegmentPrefix}{_nextSequence++:D12}{SegmentExtension}");
        _appendHandle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _appendPath = path;
        _appendOffset = 0;
        _segments.Enqueue(path);
    }

    private void CloseAppend()
    {
        _appendHandle?.Dispose();
        _appendHandle = null;
        _appendPath = null;
    }

    private void FinishSegment()
    {
        _replayReader?.Dispose();
        _replayReader = null;
        File.Delete(_segments.Dequeue());
        _replayPath = null;
        _lookahead = null;
    }

    private static GenerationEvent? TryParse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, TelemetryJsonContext.Default.GenerationEvent);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long SequenceOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return long.TryParse(name.AsSpan(SegmentPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : 0;
    }

    private static long CountLines(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long lines = 0;
            var last = (byte)'\n';
            int read;
            while ((read = file.Read(buffer)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                last = buffer[read - 1];
            }

            // A torn last line has no newline but is still a line to read (and skip).
            return last == (byte)'\n' ? lines : lines + 1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

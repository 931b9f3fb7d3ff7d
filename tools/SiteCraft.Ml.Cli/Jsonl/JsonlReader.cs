using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace SiteCraft.Ml.Cli.Jsonl;

/// <summary>
/// Streams the lines of a JSONL file as raw bytes, split on '\n' with a trailing '\r' removed,
/// without ever holding more than one line (up to <see cref="MaxLineBytes"/>) and a read buffer.
/// Bytes are passed on unchanged, so invalid UTF-8 reaches the validator, which reports it.
/// Empty lines are skipped but counted, so line numbers match an editor's.
/// </summary>
public sealed class JsonlReader : IAsyncDisposable
{
    /// <summary>The contract allows ~10 MB records; a line past this is reported, not buffered.</summary>
    public const int DefaultMaxLineBytes = 64 * 1024 * 1024;

    private const int ReadSize = 256 * 1024;

    private readonly PipeReader _pipe;
    private byte[] _joined = [];

    public JsonlReader(Stream stream, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        MaxLineBytes = maxLineBytes;
        _pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadSize, minimumReadSize: ReadSize / 4, leaveOpen: true));
    }

    public int MaxLineBytes { get; }

    /// <summary>Opens a JSONL file for one pass from start to end, the way the reader wants it.</summary>
    public static FileStream OpenFile(FileInfo file) => new(file.FullName, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.Read,
        Options = FileOptions.SequentialScan,
        // The reader buffers; a second buffer in FileStream would only copy.
        BufferSize = 0,
    });

    /// <summary>Bytes of the file consumed so far, line endings included: how far a progress bar has got.</summary>
    public long Position { get; private set; }

    public async IAsyncEnumerable<JsonlLine> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long number = 0;

        // Bytes of the current, unfinished line already searched for '\n', so a 10 MB line
        // arriving in 256 KB reads is scanned once rather than once per read.
        long searched = 0;

        // Bytes dropped of a line past MaxLineBytes; -1 when no such line is under way.
        long dropped = -1;

        while (true)
        {
            var read = await _pipe.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (buffer.Slice(searched).PositionOf((byte)'\n') is { } newline)
            {
                var line = buffer.Slice(0, newline);
                buffer = buffer.Slice(buffer.GetPosition(1, newline));
                Position += line.Length + 1;
                number++;
                searched = 0;
                if (Line(number, line, ref dropped) is { } found)
                {
                    yield return found;
                }
            }

            if (read.IsCompleted)
            {
                // The last line may have no '\n'.
                if (!buffer.IsEmpty || dropped >= 0)
                {
                    Position += buffer.Length;
                    if (Line(number + 1, buffer, ref dropped) is { } last)
                    {
                        yield return last;
                    }
                }

                _pipe.AdvanceTo(buffer.End);
                yield break;
            }

            if (dropped >= 0 || buffer.Length > MaxLineBytes)
            {
                dropped = Math.Max(dropped, 0) + buffer.Length;
                Position += buffer.Length;
                searched = 0;
                _pipe.AdvanceTo(buffer.End);
            }
            else
            {
                searched = buffer.Length;
                _pipe.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _pipe.CompleteAsync();
        if (_joined.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_joined);
            _joined = [];
        }
    }

    private JsonlLine? Line(long number, ReadOnlySequence<byte> line, ref long dropped)
    {
        if (dropped >= 0 || line.Length > MaxLineBytes)
        {
            var length = Math.Max(dropped, 0) + line.Length;
            dropped = -1;
            return new JsonlLine(number, ReadOnlyMemory<byte>.Empty, length);
        }

        var bytes = Contiguous(line);
        if (bytes.Span is [.., (byte)'\r'])
        {
            bytes = bytes[..^1];
        }

        return bytes.IsEmpty ? null : new JsonlLine(number, bytes, bytes.Length);
    }

    /// <summary>The line as one block of memory: the pipe's own when it lies in one segment, else copied to a pooled buffer.</summary>
    private ReadOnlyMemory<byte> Contiguous(ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment)
        {
            return line.First;
        }

        var length = (int)line.Length;
        if (_joined.Length < length)
        {
            if (_joined.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_joined);
            }

            _joined = ArrayPool<byte>.Shared.Rent(length);
        }

        line.CopyTo(_joined);
        return _joined.AsMemory(0, length);
    }
}

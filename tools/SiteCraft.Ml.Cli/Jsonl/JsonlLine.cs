namespace SiteCraft.Ml.Cli.Jsonl;

/// <summary>
/// One non-empty line of a JSONL file: its 1-based line number and its bytes without the line
/// ending. <see cref="Bytes"/> is valid only until the reader moves to the next line.
/// A line longer than the reader keeps in memory comes with <see cref="Bytes"/> empty and
/// <see cref="IsTooLong"/> set, so it can be reported rather than buffered.
/// </summary>
public readonly record struct JsonlLine(long Number, ReadOnlyMemory<byte> Bytes, long Length)
{
    public bool IsTooLong => Length > Bytes.Length;
}

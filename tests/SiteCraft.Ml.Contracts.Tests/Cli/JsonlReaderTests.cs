using CsCheck;
using SiteCraft.Ml.Cli.Jsonl;

namespace SiteCraft.Ml.Contracts.Tests.Cli;

public sealed class JsonlReaderTests
{
    [Fact]
    public async Task Lines_keep_their_bytes_and_editor_line_numbers()
    {
        // 0xE9 alone is not UTF-8: it must reach the validator as it is.
        var lines = await ReadAsync([.. "{\"a\":1}\r\n\n\n{\"b\":"u8, 0xE9, .. "}\n  \nlast"u8], chunk: 3);

        Assert.Equal(
            [(1L, "7b2261223a317d"), (4L, "7b2262223ae97d"), (5L, "2020"), (6L, "6c617374")],
            lines.Select(l => (l.Number, l.Hex)));
    }

    [Fact]
    public async Task Reading_in_any_chunk_size_gives_the_lines_of_a_split_on_newline()
    {
        var content = Gen.OneOf(Gen.Const((byte)'\n'), Gen.Const((byte)'\r'), Gen.Byte).Array[0, 400];
        await Gen.Select(content, Gen.Int[1, 64]).SampleAsync(async (bytes, chunk) =>
        {
            var expected = Split(bytes);

            var actual = await ReadAsync(bytes, chunk);

            Assert.Equal(expected, actual.Select(l => (l.Number, l.Hex)));
        }, iter: 300);
    }

    [Fact]
    public async Task A_line_longer_than_the_read_buffer_arrives_whole()
    {
        // 700 KB spans several of the reader's 256 KB buffers, so it is joined from segments.
        var big = new byte[700_000];
        new Random(7).NextBytes(big);
        big.AsSpan().Replace((byte)'\n', (byte)' ');
        byte[] content = [.. "{}\n"u8, .. big, .. "\r\n{}"u8];

        var lines = await ReadAsync(content, chunk: 4096);

        Assert.Equal([(1L, "7b7d"), (2L, Convert.ToHexStringLower(big)), (3L, "7b7d")], lines);
    }

    [Fact]
    public async Task A_line_past_the_limit_is_reported_unread_and_the_next_line_keeps_its_number()
    {
        var content = "{\"a\":1}\n"u8.ToArray().Concat(Enumerable.Repeat((byte)'x', 5000)).Concat("\n{\"b\":2}\n"u8.ToArray()).ToArray();
        await using var reader = new JsonlReader(new TrickleStream(content, 100), maxLineBytes: 1000);

        var lines = new List<(long Number, bool TooLong, long Length)>();
        await foreach (var line in reader.ReadLinesAsync(CancellationToken.None))
        {
            lines.Add((line.Number, line.IsTooLong, line.Length));
        }

        Assert.Equal([(1L, false, 7L), (2L, true, 5000L), (3L, false, 7L)], lines);
        Assert.Equal(content.Length, reader.Position);
    }

    [Fact]
    public async Task The_position_reaches_the_end_of_the_file()
    {
        var content = "{\"a\":1}\n{\"b\":2}\r\n\n{\"c\":3}"u8.ToArray();
        await using var reader = new JsonlReader(new MemoryStream(content));

        await foreach (var _ in reader.ReadLinesAsync(CancellationToken.None))
        {
        }

        Assert.Equal(content.Length, reader.Position);
    }

    /// <summary>The reference: split on '\n', drop one trailing '\r', skip what is then empty, count every line.</summary>
    private static List<(long Number, string Hex)> Split(byte[] bytes)
    {
        var lines = new List<(long, string)>();
        var start = 0;
        var number = 0L;
        for (var i = 0; i <= bytes.Length; i++)
        {
            if (i < bytes.Length && bytes[i] != (byte)'\n')
            {
                continue;
            }

            number++;
            var line = bytes[start..i];
            if (line is [.., (byte)'\r'])
            {
                line = line[..^1];
            }

            if (line.Length > 0)
            {
                lines.Add((number, Convert.ToHexStringLower(line)));
            }

            start = i + 1;
        }

        return lines;
    }

    private static async Task<List<(long Number, string Hex)>> ReadAsync(byte[] content, int chunk)
    {
        await using var reader = new JsonlReader(new TrickleStream(content, chunk));
        var lines = new List<(long, string)>();
        await foreach (var line in reader.ReadLinesAsync(CancellationToken.None))
        {
            lines.Add((line.Number, Convert.ToHexStringLower(line.Bytes.Span)));
        }

        return lines;
    }

    /// <summary>A stream that hands out at most a few bytes per read, so lines span many of the reader's buffers.</summary>
    private sealed class TrickleStream(byte[] content, int chunk) : MemoryStream(content)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);
    }
}

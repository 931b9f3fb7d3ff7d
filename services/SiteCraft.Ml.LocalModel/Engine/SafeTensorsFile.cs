using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
/// naming each tensor's dtype, shape and byte range, then the data. Reads F32, F16 and BF16 as float32; writes F32.
/// </summary>
public static class SafeTensorsFile
{
    public const string MetadataKey = "__metadata__";

    // A header is a few KB per hundred tensors; anything near this is a corrupt length, not a header.
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static IReadOnlyDictionary<string, SafeTensor> Read(string path) => Read(path, out _);

    public static IReadOnlyDictionary<string, SafeTensor> Read(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return Read(path, file, out metadata);
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelLoadException($"{path}: file not found", e);
        }
    }

    private static Dictionary<string, SafeTensor> Read(string path, Microsoft.Win32.SafeHandles.SafeFileHandle file, out IReadOnlyDictionary<string, string> metadata)
    {
        var fileLength = RandomAccess.GetLength(file);
        if (fileLength < 8)
        {
            throw new ModelLoadException($"{path}: file is truncated: {fileLength} bytes, fewer than the 8-byte header length");
        }

        Span<byte> prefix = stackalloc byte[8];
        RandomAccess.Read(file, prefix, 0);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
        {
            throw new ModelLoadException($"{path}: file is truncated: header says {headerLength} bytes of header but file has {fileLength - 8}");
        }

        if ((long)headerLength > MaxHeaderBytes)
        {
            throw new ModelLoadException($"{path}: header of {headerLength} bytes is larger than the {MaxHeaderBytes} allowed");
        }

        var header = new byte[(int)headerLength];
        RandomAccess.Read(file, header, 8);
        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path}: header is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ModelLoadException($"{path}: header is not a JSON object");
            }

            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (property.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var entry in property.Value.EnumerateObject())
                        {
                            meta[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
                        }
                    }

                    continue;
                }

                var entryInfo = ParseEntry(path, property);
                tensors[property.Name] = ReadTensor(path, file, property.Name, entryInfo, dataStart, dataLength);
            }

            metadata = meta;
            return tensors;
        }
    }

    private readonly record struct Entry(string DType, int ElementSize, int[] Shape, long Begin, long End);

    private static Entry ParseEntry(string path, JsonProperty property)
    {
        var name = property.Name;
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array || offsetsElement.GetArrayLength() != 2)
        {
            throw new ModelLoadException($"{path}: tensor {name}: header entry needs dtype, shape and data_offsets [begin, end]");
        }

        var dtype = dtypeElement.GetString()!;
        var elementSize = dtype switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            _ => throw new ModelLoadException($"{path}: tensor {name}: unknown dtype '{dtype}' (supported: F32, F16, BF16)"),
        };

        var shape = new int[shapeElement.GetArrayLength()];
        var i = 0;
        foreach (var dimension in shapeElement.EnumerateArray())
        {
            if (!dimension.TryGetInt32(out shape[i]) || shape[i] < 0)
            {
                throw new ModelLoadException($"{path}: tensor {name}: shape {shapeElement.GetRawText()} is not a list of non-negative integers");
            }

            i++;
        }

        var offsets = offsetsElement.EnumerateArray().ToArray();
        if (!offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin)
        {
            throw new ModelLoadException($"{path}: tensor {name}: data_offsets {offsetsElement.GetRawText()} are not [begin, end] with 0 <= begin <= end");
        }

        var expectedBytes = SafeTensor.ElementCount(shape) * elementSize;
        if (end - begin != expectedBytes)
        {
            throw new ModelLoadException(
                $"{path}: tensor {name}: data_offsets [{begin}, {end}] do not match shape [{string.Join(", ", shape)}] × {dtype} = {expectedBytes} bytes");
        }

        return new Entry(dtype, elementSize, shape, begin, end);
    }

    private static SafeTensor ReadTensor(string path, Microsoft.Win32.SafeHandles.SafeFileHandle file, string name, Entry entry, long dataStart, long dataLength)
    {
        if (entry.End > dataLength)
        {
            throw new ModelLoadException($"{path}: tensor {name}: data_offsets [{entry.Begin}, {entry.End}] beyond the end of the file (the data section has {dataLength} bytes)");
        }

        var count = SafeTensor.ElementCount(entry.Shape);
        if (count > Array.MaxLength)
        {
            throw new ModelLoadException($"{path}: tensor {name}: {count} values are more than one array holds");
        }

        var data = new float[count];
        var offset = dataStart + entry.Begin;
        if (entry.DType == "F32")
        {
            ReadExactly(path, file, MemoryMarshal.AsBytes(data.AsSpan()), offset);
            if (!BitConverter.IsLittleEndian)
            {
                var bits = MemoryMarshal.Cast<float, int>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
        }
        else
        {
            var raw = new ushort[count];
            ReadExactly(path, file, MemoryMarshal.AsBytes(raw.AsSpan()), offset);
            if (!BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(raw, raw);
            }

            if (entry.DType == "F16")
            {
                for (var i = 0; i < raw.Length; i++)
                {
                    data[i] = (float)BitConverter.UInt16BitsToHalf(raw[i]);
                }
            }
            else
            {
                // bfloat16 is the top half of a float32.
                for (var i = 0; i < raw.Length; i++)
                {
                    data[i] = BitConverter.Int32BitsToSingle(raw[i] << 16);
                }
            }
        }

        return new SafeTensor(name, entry.DType, entry.Shape, data);
    }

    private static void ReadExactly(string path, Microsoft.Win32.SafeHandles.SafeFileHandle file, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(file, buffer, offset);
            if (read == 0)
            {
                throw new ModelLoadException($"{path}: file is truncated while reading tensor data at byte {offset}");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    /// <summary>Writes the tensors as F32, names sorted, to a temporary file renamed over <paramref name="path"/> when complete.</summary>
    public static void Write(string path, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var sorted = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var header = Header(sorted, metadata);

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Span<byte> prefix = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
                stream.Write(prefix);
                stream.Write(header);
                foreach (var tensor in sorted)
                {
                    if (BitConverter.IsLittleEndian)
                    {
                        stream.Write(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
                    }
                    else
                    {
                        var bits = MemoryMarshal.Cast<float, int>(tensor.Data.AsSpan()).ToArray();
                        BinaryPrimitives.ReverseEndianness(bits, bits);
                        stream.Write(MemoryMarshal.AsBytes(bits.AsSpan()));
                    }
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static byte[] Header(List<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var tensor in tensors)
            {
                if (SafeTensor.ElementCount(tensor.Shape) != tensor.Data.Length)
                {
                    throw new ArgumentException($"tensor {tensor.Name}: shape [{string.Join(", ", tensor.Shape)}] does not hold its {tensor.Data.Length} values", nameof(tensors));
                }

                var bytes = (long)tensor.Data.Length * sizeof(float);
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (var dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            json.WriteEndObject();
        }

        // Padded with spaces so the data starts 8-byte aligned, as the reference writer does.
        var length = (int)buffer.Length;
        var padded = (length + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.GetBuffer().AsSpan(0, length).CopyTo(header);
        header.AsSpan(length).Fill((byte)' ');
        return header;
    }

    internal static string Describe(IReadOnlyList<int> shape) => $"[{string.Join(", ", shape)}]";
}

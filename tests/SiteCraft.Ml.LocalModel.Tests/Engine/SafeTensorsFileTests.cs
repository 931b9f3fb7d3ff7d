using System.Buffers.Binary;
using System.Text;
using SiteCraft.Ml.LocalModel.Engine;

namespace SiteCraft.Ml.LocalModel.Tests.Engine;

public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sitecraft-safetensors").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Written_tensors_read_back_with_their_shapes_values_and_metadata()
    {
        var path = Path.Combine(_directory, "model.safetensors");
        SafeTensor[] tensors =
        [
            SafeTensor.F32("model.norm.weight", [3], [1f, -2.5f, 3.25f]),
            SafeTensor.F32("a.matrix", [2, 2], [0.1f, 0.2f, float.MaxValue, -0f]),
        ];

        SafeTensorsFile.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var read = SafeTensorsFile.Read(path, out var metadata);

        Assert.Equal(2, read.Count);
        Assert.Equal([3], read["model.norm.weight"].Shape);
        Assert.Equal([1f, -2.5f, 3.25f], read["model.norm.weight"].Data);
        Assert.Equal([2, 2], read["a.matrix"].Shape);
        Assert.Equal(tensors[1].Data, read["a.matrix"].Data);
        Assert.Equal("F32", read["a.matrix"].DType);
        Assert.Equal("pt", metadata["format"]);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void The_header_is_padded_to_eight_bytes_and_names_are_sorted()
    {
        var path = Path.Combine(_directory, "sorted.safetensors");

        SafeTensorsFile.Write(path, [SafeTensor.F32("b", [1], [1f]), SafeTensor.F32("a", [1], [2f])]);
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);

        Assert.Equal(0, headerLength % 8);
        Assert.True(header.IndexOf("\"a\"", StringComparison.Ordinal) < header.IndexOf("\"b\"", StringComparison.Ordinal));
        Assert.Equal(2f, BitConverter.ToSingle(bytes, 8 + headerLength));
    }

    [Fact]
    public void A_file_shorter_than_its_header_length_is_truncated()
    {
        var path = Raw("{}      ", truncateTo: 8 + 5);

        var error = Assert.Throws<ModelLoadException>(() => SafeTensorsFile.Read(path));

        Assert.Contains("file is truncated: header says 8 bytes of header but file has 5", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_a_header_length_is_truncated()
    {
        var path = Path.Combine(_directory, "tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        var error = Assert.Throws<ModelLoadException>(() => SafeTensorsFile.Read(path));

        Assert.Contains("file is truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offsets_that_disagree_with_the_shape_are_named()
    {
        var path = Raw("""{"model.norm.weight":{"dtype":"F32","shape":[4],"data_offsets":[0,12]}}""", data: new byte[16]);

        var error = Assert.Throws<ModelLoadException>(() => SafeTensorsFile.Read(path));

        Assert.Contains("tensor model.norm.weight: data_offsets [0, 12] do not match shape [4] × F32 = 16 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offsets_beyond_the_end_of_the_file_are_named()
    {
        var path = Raw("""{"x":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}""", data: new byte[16]);

        var error = Assert.Throws<ModelLoadException>(() => SafeTensorsFile.Read(path));

        Assert.Contains("tensor x", error.Message, StringComparison.Ordinal);
        Assert.Contains("beyond the end of the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_dtype_is_named()
    {
        var path = Raw("""{"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", data: new byte[8]);

        var error = Assert.Throws<ModelLoadException>(() => SafeTensorsFile.Read(path));

        Assert.Contains("tensor ids: unknown dtype 'I64'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_that_is_not_json_is_named()
    {
        var path = Raw("{not json", data: []);

        var error = Assert.Throws<ModelLoadException>(() => SafeTensorsFile.Read(path));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void F16_values_decode_to_float()
    {
        // 1, -2, 0.5, 65504 (the largest half), as IEEE binary16.
        var path = Raw("""{"h":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]}}""", data: Halves(0x3C00, 0xC000, 0x3800, 0x7BFF));

        var tensor = SafeTensorsFile.Read(path)["h"];

        Assert.Equal([1f, -2f, 0.5f, 65504f], tensor.Data);
        Assert.Equal("F16", tensor.DType);
    }

    [Fact]
    public void Bf16_values_decode_to_float()
    {
        // 1, -2, 3.140625 (pi to bfloat16's 8 bits of mantissa).
        var path = Raw("""{"b":{"dtype":"BF16","shape":[3],"data_offsets":[0,6]}}""", data: Halves(0x3F80, 0xC000, 0x4049));

        Assert.Equal([1f, -2f, 3.140625f], SafeTensorsFile.Read(path)["b"].Data);
    }

    private static byte[] Halves(params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        }

        return bytes;
    }

    private string Raw(string header, byte[]? data = null, int? declaredHeaderLength = null, int? truncateTo = null)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + headerBytes.Length + (data?.Length ?? 0)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)(declaredHeaderLength ?? headerBytes.Length));
        headerBytes.CopyTo(bytes, 8);
        data?.CopyTo(bytes, 8 + headerBytes.Length);
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, truncateTo is { } length ? bytes[..length] : bytes);
        return path;
    }
}

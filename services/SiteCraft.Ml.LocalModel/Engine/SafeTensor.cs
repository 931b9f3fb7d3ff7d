namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>One named tensor of a safetensors file, decoded to float32 whatever its stored dtype.</summary>
public sealed record SafeTensor(string Name, string DType, int[] Shape, float[] Data)
{
    /// <summary>A float32 tensor, checking that the data fills the shape.</summary>
    public static SafeTensor F32(string name, int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        var count = ElementCount(shape);
        if (count != data.Length)
        {
            throw new ArgumentException($"tensor {name}: shape [{string.Join(", ", shape)}] holds {count} values but {data.Length} were given", nameof(data));
        }

        return new SafeTensor(name, "F32", shape, data);
    }

    public static long ElementCount(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var dimension in shape)
        {
            count *= dimension;
        }

        return count;
    }
}

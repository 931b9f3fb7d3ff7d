using System.Buffers.Binary;

namespace SiteCraft.Ml.Contracts.Data.Ingest;

/// <summary>MinHash signatures as stored in ai_training_examples.minhash: one little-endian uint32 per permutation.</summary>
public static class MinHashBytes
{
    public static byte[] FromSignature(ReadOnlySpan<uint> signature)
    {
        var bytes = new byte[signature.Length * sizeof(uint)];
        for (var i = 0; i < signature.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * sizeof(uint)), signature[i]);
        }

        return bytes;
    }

    /// <summary>The signature, or null when the bytes are not a whole number of uint32s.</summary>
    public static uint[]? ToSignature(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0 || bytes.Length % sizeof(uint) != 0)
        {
            return null;
        }

        var signature = new uint[bytes.Length / sizeof(uint)];
        for (var i = 0; i < signature.Length; i++)
        {
            signature[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * sizeof(uint))..]);
        }

        return signature;
    }
}

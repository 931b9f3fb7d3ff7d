using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace SiteCraft.Ml.Inference.Telemetry;

/// <summary>The hashes stored in prompt_sha256 and completion_sha256.</summary>
public static class BodyHash
{
    // Bodies above this are hashed from a pooled buffer instead of the stack.
    private const int StackLimit = 1024;

    /// <summary>
    /// SHA-256 of the UTF-8 bytes, as 64 lowercase hex digits: the same value as Postgres'
    /// encode(sha256(convert_to(body, 'UTF8')), 'hex'), so the database can recompute and join on it.
    /// </summary>
    public static string Sha256Hex(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var length = Encoding.UTF8.GetMaxByteCount(body.Length);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(body, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..written], hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

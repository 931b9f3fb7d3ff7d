using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SiteCraft.Ml.Inference.Generation;

namespace SiteCraft.Ml.Inference.Admin;

/// <summary>Checks "Bearer &lt;token&gt;" against Inference:AdminToken in constant time. No token configured: nothing passes.</summary>
public sealed class AdminToken(IOptions<InferenceOptions> options)
{
    public bool IsConfigured => !string.IsNullOrEmpty(options.Value.AdminToken);

    public bool IsValid(string? authorizationHeader)
    {
        var expected = options.Value.AdminToken;
        if (string.IsNullOrEmpty(expected) || authorizationHeader is null
            || !authorizationHeader.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(authorizationHeader["Bearer ".Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(expected));
    }
}

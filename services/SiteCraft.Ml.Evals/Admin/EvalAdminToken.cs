using System.Security.Cryptography;
using System.Text;

namespace SiteCraft.Ml.Evals.Admin;

/// <summary>
/// The platform's admin token (Inference:AdminToken, shared with inference), checked in constant
/// time against an "authorization: Bearer …" header. With no token configured nothing passes.
/// </summary>
public sealed class EvalAdminToken(IConfiguration configuration)
{
    public bool IsConfigured => !string.IsNullOrEmpty(configuration["Inference:AdminToken"]);

    public bool Matches(string? authorization)
    {
        var expected = configuration["Inference:AdminToken"];
        if (string.IsNullOrEmpty(expected) || authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim()), Encoding.UTF8.GetBytes(expected));
    }
}

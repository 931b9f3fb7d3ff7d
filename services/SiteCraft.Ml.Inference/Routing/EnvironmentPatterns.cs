namespace SiteCraft.Ml.Inference.Routing;

/// <summary>A list of environment names where an entry ending in '*' matches by prefix.</summary>
public sealed class EnvironmentPatterns(IEnumerable<string> patterns)
{
    private readonly string[] _exact = [.. patterns.Where(p => !p.EndsWith('*'))];
    private readonly string[] _prefixes = [.. patterns.Where(p => p.EndsWith('*')).Select(p => p[..^1])];

    public bool Matches(string environment)
    {
        foreach (var exact in _exact)
        {
            if (string.Equals(exact, environment, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var prefix in _prefixes)
        {
            if (environment.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

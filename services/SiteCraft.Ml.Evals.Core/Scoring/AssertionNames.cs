namespace SiteCraft.Ml.Evals.Core.Scoring;

/// <summary>
/// The keys of a sample's scores: an assertion's explicit name, else its type; a name already
/// taken gets "#2", "#3", … in order (length, length#2).
/// </summary>
public static class AssertionNames
{
    /// <summary>The assertions in order, each with a <see cref="Assertion.Name"/> unique among them; already-unique names are kept.</summary>
    public static IReadOnlyList<Assertion> Assign(IEnumerable<Assertion> assertions)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var named = new List<Assertion>();
        foreach (var assertion in assertions)
        {
            var name = assertion.Name ?? assertion.Type;
            for (var k = 2; !taken.Add(name); k++)
            {
                name = $"{assertion.Name ?? assertion.Type}#{k}";
            }

            named.Add(assertion with { Name = name });
        }

        return named;
    }
}

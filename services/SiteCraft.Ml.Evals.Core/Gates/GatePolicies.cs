using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Evals.Core.Gates;

/// <summary>
/// The gate policy of each use case, from docs/evals/gates.yaml: a `default:` policy and one entry
/// per use case. A use case's entry starts from the default and overrides the keys it names; a key
/// set to null (~) turns that rule off for the use case.
/// </summary>
public sealed class GatePolicies(GatePolicy @default, IReadOnlyDictionary<string, GatePolicy> useCases)
{
    private const string DefaultKey = "default";

    private static readonly string[] s_keys =
    [
        "min_pass_rate_lower_bound", "non_inferiority_margin", "max_error_rate",
        "max_p95_latency_ms", "max_cost_usd_per_sample", "min_samples",
    ];

    public GatePolicy Default { get; } = @default;

    public IReadOnlyDictionary<string, GatePolicy> UseCases { get; } = useCases;

    /// <summary>The use case's policy, or the default for a use case the file does not name.</summary>
    public GatePolicy For(string useCase) => UseCases.TryGetValue(useCase, out var policy) ? policy : Default;

    /// <exception cref="GatePolicyException">The file is not a valid policy file.</exception>
    public static GatePolicies Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses policy YAML; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="GatePolicyException">The text is not a valid policy file.</exception>
    public static GatePolicies Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var errors = new List<string>();
        void Error(Mark mark, string reason) => errors.Add($"{source}:{mark.Line.ToString(CultureInfo.InvariantCulture)}: {reason}");

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            Error(e.Start, $"not valid YAML: {e.Message}");
            throw new GatePolicyException(errors);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            Error(stream.Documents.Count > 0 ? stream.Documents[0].RootNode.Start : new Mark(0, 1, 1), "expected one mapping of use cases (and default) to policies");
            throw new GatePolicyException(errors);
        }

        var entries = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Children)
        {
            if (key is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                Error(key.Start, "a use case must be a plain name");
            }
            else if (value is not YamlMappingNode policy)
            {
                Error(value.Start, $"the policy of '{name}' must be a mapping of rules to values");
            }
            else if (!entries.TryAdd(name, policy))
            {
                Error(key.Start, $"'{name}' is given twice");
            }
        }

        if (!entries.TryGetValue(DefaultKey, out var defaultNode))
        {
            Error(root.Start, "no 'default:' policy; every use case the file does not name needs one");
        }

        var @default = defaultNode is null ? new GatePolicy() : Policy(defaultNode, new GatePolicy(), Error);
        var useCases = entries
            .Where(e => e.Key != DefaultKey)
            .ToDictionary(e => e.Key, e => Policy(e.Value, @default, Error), StringComparer.Ordinal);
        return errors.Count > 0 ? throw new GatePolicyException(errors) : new GatePolicies(@default, useCases);
    }

    private static GatePolicy Policy(YamlMappingNode map, GatePolicy start, Action<Mark, string> error)
    {
        var policy = start;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                error(keyNode.Start, "a rule must be a plain name");
                continue;
            }

            if (!seen.Add(key))
            {
                error(keyNode.Start, $"'{key}' is given twice");
                continue;
            }

            if (value is not YamlScalarNode scalar)
            {
                error(value.Start, $"'{key}' must be a number or null");
                continue;
            }

            var off = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
            switch (key)
            {
                case "min_pass_rate_lower_bound":
                    policy = policy with { MinPassRateLowerBound = off ? null : Number(scalar, key, 0, 1, error) };
                    break;
                case "non_inferiority_margin":
                    policy = policy with { NonInferiorityMargin = off ? null : Number(scalar, key, 0, 1, error) };
                    break;
                case "max_error_rate":
                    policy = policy with { MaxErrorRate = off ? null : Number(scalar, key, 0, 1, error) };
                    break;
                case "max_p95_latency_ms":
                    policy = policy with { MaxP95LatencyMs = off ? null : Number(scalar, key, 0, double.MaxValue, error) };
                    break;
                case "max_cost_usd_per_sample":
                    policy = policy with { MaxCostUsdPerSample = off ? null : Cost(scalar, key, error) };
                    break;
                case "min_samples":
                    policy = policy with { MinSamples = off ? null : Count(scalar, key, error) };
                    break;
                default:
                    error(keyNode.Start, $"unknown rule '{key}'; expected one of: {string.Join(", ", s_keys)}");
                    break;
            }
        }

        return policy;
    }

    private static double? Number(YamlScalarNode scalar, string key, double min, double max, Action<Mark, string> error)
    {
        if (double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        var range = max == double.MaxValue ? $"a number ≥ {min.ToString(CultureInfo.InvariantCulture)}" : $"a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]";
        error(scalar.Start, $"'{key}' must be {range}, not '{scalar.Value}'");
        return null;
    }

    private static decimal? Cost(YamlScalarNode scalar, string key, Action<Mark, string> error)
    {
        if (decimal.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }

        error(scalar.Start, $"'{key}' must be an amount in USD ≥ 0, not '{scalar.Value}'");
        return null;
    }

    private static int? Count(YamlScalarNode scalar, string key, Action<Mark, string> error)
    {
        if (int.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1)
        {
            return value;
        }

        error(scalar.Start, $"'{key}' must be a whole number ≥ 1, not '{scalar.Value}'");
        return null;
    }
}

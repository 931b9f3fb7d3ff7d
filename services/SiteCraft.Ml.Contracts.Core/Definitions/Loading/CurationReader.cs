using PhoneNumbers;
using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Contracts.Core.Definitions.Loading;

/// <summary>
/// Reads the contract's curation policy: normalisation and PII here, dedup and the quality
/// heuristics through <see cref="DedupReader"/> and <see cref="QualityHeuristicsReader"/>.
/// </summary>
internal sealed class CurationReader(YamlNodes y)
{
    public CurationPolicy? Curation(YamlNode node)
    {
        const string Where = "curation";
        if (y.Mapping(node, Where) is not { } map)
        {
            return null;
        }

        y.CheckKeys(map, Where, YamlNodes.Keys("normalization", "pii", "dedup", "quality"));
        var normalization = y.Required(map, "normalization", Where) is { } n ? Normalization(n) : null;
        var pii = y.Required(map, "pii", Where) is { } p ? Pii(p) : null;
        var dedup = y.Required(map, "dedup", Where) is { } d ? new DedupReader(y).Dedup(d) : null;
        var quality = y.Required(map, "quality", Where) is { } q ? new QualityHeuristicsReader(y).Quality(q) : null;
        return normalization is null || pii is null || dedup is null || quality is null ? null : new CurationPolicy(normalization, pii, dedup, quality);
    }

    private NormalizationPolicy? Normalization(YamlNode node)
    {
        const string Where = "curation.normalization";
        if (y.Mapping(node, Where) is not { } map)
        {
            return null;
        }

        y.CheckKeys(map, Where, YamlNodes.Keys("unicode", "whitespace", "fields"));
        if (y.RequiredString(map, "unicode", Where) is { } form && form != "NFC")
        {
            y.Error(YamlNodes.Get(map, "unicode")!, $"unicode normalisation '{form}' is not supported; use NFC");
        }

        if (y.RequiredString(map, "whitespace", Where) is { } whitespace && whitespace != "trim")
        {
            y.Error(YamlNodes.Get(map, "whitespace")!, $"whitespace normalisation '{whitespace}' is not supported; use trim");
        }

        var fields = y.Required(map, "fields", Where) is { } f ? y.FieldNames(f, CuratedFields.Prose, Where) : null;
        return fields is null ? null : new NormalizationPolicy(fields);
    }

    private PiiPolicy? Pii(YamlNode node)
    {
        const string Where = "curation.pii";
        if (y.Mapping(node, Where) is not { } map)
        {
            return null;
        }

        y.CheckKeys(map, Where, YamlNodes.Keys("defaultRegion", "fields"));
        var region = y.RequiredString(map, "defaultRegion", Where);
        if (region is not null && !PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(region))
        {
            y.Error(YamlNodes.Get(map, "defaultRegion")!, $"defaultRegion '{region}' is not a region libphonenumber knows (use an ISO 3166 code such as US or DE)");
            region = null;
        }

        var policies = new Dictionary<string, PiiAction>(StringComparer.Ordinal);
        if (y.Required(map, "fields", Where) is { } fieldsNode && y.Sequence(fieldsNode, $"{Where}.fields") is { } list)
        {
            foreach (var item in list)
            {
                if (y.Mapping(item, $"an entry of {Where}.fields") is not { } entry)
                {
                    continue;
                }

                y.CheckKeys(entry, $"an entry of {Where}.fields", YamlNodes.Keys("field", "policy"));
                var field = y.RequiredString(entry, "field", $"an entry of {Where}.fields");
                var policyText = y.RequiredString(entry, "policy", $"an entry of {Where}.fields");
                PiiAction? action = policyText switch
                {
                    "redact" => PiiAction.Redact,
                    "reject" => PiiAction.Reject,
                    "allow" => PiiAction.Allow,
                    null => null,
                    _ => Invalid(YamlNodes.Get(entry, "policy")!, $"PII policy '{policyText}' must be redact, reject or allow"),
                };

                if (field is null || action is null)
                {
                    continue;
                }

                var fieldNode = YamlNodes.Get(entry, "field")!;
                if (!CuratedFields.Text.Contains(field))
                {
                    y.Error(fieldNode, $"'{field}' is not a text field PII scanning can look at; expected one of: {string.Join(", ", CuratedFields.Text.Order(StringComparer.Ordinal))}");
                }
                else if (action == PiiAction.Redact && !CuratedFields.Prose.Contains(field))
                {
                    y.Error(fieldNode, $"'{field}' is an identifier, so it cannot be redacted; use reject or allow");
                }
                else if (!policies.TryAdd(field, action.Value))
                {
                    y.Error(fieldNode, $"'{field}' has a PII policy twice");
                }
            }
        }

        return region is null ? null : new PiiPolicy(region, policies);
    }

    private PiiAction? Invalid(YamlNode node, string message)
    {
        y.Error(node, message);
        return null;
    }
}

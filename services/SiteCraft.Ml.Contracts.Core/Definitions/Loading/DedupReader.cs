using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Contracts.Core.Definitions.Loading;

/// <summary>Reads <c>curation.dedup</c>: the exact-dedup key and the MinHash LSH settings of near dedup.</summary>
internal sealed class DedupReader(YamlNodes y)
{
    public DedupPolicy? Dedup(YamlNode node)
    {
        const string Where = "curation.dedup";
        if (y.Mapping(node, Where) is not { } map)
        {
            return null;
        }

        y.CheckKeys(map, Where, YamlNodes.Keys("exact", "near"));
        List<string>? exact = null;
        if (y.Required(map, "exact", Where) is { } exactNode && y.Mapping(exactNode, $"{Where}.exact") is { } exactMap)
        {
            y.CheckKeys(exactMap, $"{Where}.exact", YamlNodes.Keys("fields"));
            exact = y.Required(exactMap, "fields", $"{Where}.exact") is { } f ? y.FieldNames(f, CuratedFields.DedupKey, $"{Where}.exact") : null;
        }

        var near = y.Required(map, "near", Where) is { } nearNode ? Near(nearNode) : null;
        return exact is null || near is null ? null : new DedupPolicy(exact, near);
    }

    private MinHashSettings? Near(YamlNode node)
    {
        const string Where = "curation.dedup.near";
        if (y.Mapping(node, Where) is not { } map)
        {
            return null;
        }

        y.CheckKeys(map, Where, YamlNodes.Keys("method", "fields", "shingles", "permutations", "bands", "rows", "jaccardThreshold", "confirmThreshold", "seed"));
        if (y.RequiredString(map, "method", Where) is { } method && method != "minhash-lsh")
        {
            y.Error(YamlNodes.Get(map, "method")!, $"near-dedup method '{method}' is not supported; use minhash-lsh");
        }

        var fields = y.Required(map, "fields", Where) is { } f ? y.FieldNames(f, CuratedFields.Prose, Where) : null;
        ShingleUnit? unit = null;
        int? size = null;
        if (y.Required(map, "shingles", Where) is { } shinglesNode && y.Mapping(shinglesNode, $"{Where}.shingles") is { } shingles)
        {
            y.CheckKeys(shingles, $"{Where}.shingles", YamlNodes.Keys("unit", "size"));
            unit = y.RequiredString(shingles, "unit", $"{Where}.shingles") switch
            {
                "word" => ShingleUnit.Word,
                "char" => ShingleUnit.Character,
                null => null,
                var other => InvalidUnit(YamlNodes.Get(shingles, "unit")!, other),
            };
            size = y.RequiredInt(shingles, "size", $"{Where}.shingles", 1, 32);
        }

        var permutations = y.RequiredInt(map, "permutations", Where, 16, 1024);
        var bands = y.RequiredInt(map, "bands", Where, 1, 1024);
        var rows = y.RequiredInt(map, "rows", Where, 1, 1024);
        if (permutations is not null && bands is not null && rows is not null && bands * rows != permutations)
        {
            y.Error(YamlNodes.Get(map, "bands")!, $"bands × rows must equal permutations: {bands} × {rows} = {bands * rows}, not {permutations}");
        }

        var threshold = y.Required(map, "jaccardThreshold", Where) is { } t ? y.Fraction(t, "jaccardThreshold") : null;
        var confirm = y.Required(map, "confirmThreshold", Where) is { } c ? y.Fraction(c, "confirmThreshold") : null;
        if (confirm > threshold)
        {
            y.Error(YamlNodes.Get(map, "confirmThreshold")!, $"confirmThreshold {confirm.Value.ToString(CultureInfo.InvariantCulture)} must not be above jaccardThreshold {threshold.Value.ToString(CultureInfo.InvariantCulture)}");
        }

        var seed = y.Required(map, "seed", Where) is { } s ? y.Integer(s, "seed", 0, long.MaxValue) : null;
        if (fields is null || unit is null || size is null || permutations is null || bands is null || rows is null
            || threshold is null || confirm is null || seed is null || bands * rows != permutations)
        {
            return null;
        }

        return new MinHashSettings(fields, unit.Value, size.Value, permutations.Value, bands.Value, rows.Value, threshold.Value, confirm.Value, (ulong)seed.Value);
    }

    private ShingleUnit? InvalidUnit(YamlNode node, string unit)
    {
        y.Error(node, $"shingle unit '{unit}' must be word or char");
        return null;
    }
}

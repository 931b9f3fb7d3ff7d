using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Contracts.Core.Definitions.Loading;

/// <summary>Reads <c>curation.quality</c>: length bounds, Gopher's repetition limits and the placeholder patterns.</summary>
internal sealed class QualityHeuristicsReader(YamlNodes y)
{
    public QualityHeuristics? Quality(YamlNode node)
    {
        const string Where = "curation.quality";
        if (y.Mapping(node, Where) is not { } map)
        {
            return null;
        }

        y.CheckKeys(map, Where, YamlNodes.Keys("fields", "minChars", "maxChars", "minWordsForRepetition", "maxDuplicateLineFraction", "maxDuplicateLineCharFraction", "maxTopNgramCharFraction", "placeholders"));
        var fields = y.Required(map, "fields", Where) is { } f ? y.FieldNames(f, CuratedFields.Prose, Where) : null;
        var minChars = y.RequiredInt(map, "minChars", Where, 0, int.MaxValue);
        var maxChars = y.RequiredInt(map, "maxChars", Where, 1, int.MaxValue);
        if (minChars > maxChars)
        {
            y.Error(YamlNodes.Get(map, "minChars")!, $"minChars {minChars} is greater than maxChars {maxChars}");
        }

        var minWords = y.RequiredInt(map, "minWordsForRepetition", Where, 0, int.MaxValue);
        var duplicateLines = y.Required(map, "maxDuplicateLineFraction", Where) is { } dl ? y.Fraction(dl, "maxDuplicateLineFraction") : null;
        var duplicateLineChars = y.Required(map, "maxDuplicateLineCharFraction", Where) is { } dc ? y.Fraction(dc, "maxDuplicateLineCharFraction") : null;

        var topNgrams = new Dictionary<int, double>();
        if (y.Required(map, "maxTopNgramCharFraction", Where) is { } ngramNode && y.Mapping(ngramNode, "maxTopNgramCharFraction") is { } ngrams)
        {
            foreach (var (key, value) in ngrams.Children)
            {
                if (y.Integer(key, "an n-gram size in maxTopNgramCharFraction", 2, 10) is { } n && y.Fraction(value, $"maxTopNgramCharFraction for {n}-grams") is { } fraction)
                {
                    topNgrams[(int)n] = fraction;
                }
            }
        }

        var placeholders = YamlNodes.Get(map, "placeholders") is { } placeholdersNode ? Placeholders(placeholdersNode, $"{Where}.placeholders") : [];
        if (fields is null || minChars is null || maxChars is null || minWords is null || duplicateLines is null || duplicateLineChars is null)
        {
            return null;
        }

        return new QualityHeuristics(fields, minChars.Value, maxChars.Value, minWords.Value, duplicateLines.Value, duplicateLineChars.Value, topNgrams, placeholders);
    }

    private List<PlaceholderPattern> Placeholders(YamlNode node, string where)
    {
        var placeholders = new List<PlaceholderPattern>();
        if (y.Sequence(node, where) is not { } list)
        {
            return placeholders;
        }

        foreach (var item in list)
        {
            if (y.Mapping(item, "a placeholder") is not { } entry)
            {
                continue;
            }

            y.CheckKeys(entry, "a placeholder", YamlNodes.Keys("name", "pattern"));
            var name = y.RequiredString(entry, "name", "a placeholder");
            var text = y.RequiredString(entry, "pattern", "a placeholder");
            if (name is not null && text is not null && y.Pattern(YamlNodes.Get(entry, "pattern")!, text, $"placeholder '{name}'") is { } regex)
            {
                placeholders.Add(new PlaceholderPattern(name, regex));
            }
        }

        return placeholders;
    }
}

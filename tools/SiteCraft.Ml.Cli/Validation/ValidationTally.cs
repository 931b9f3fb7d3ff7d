using SiteCraft.Ml.Contracts.Core.Validation;

namespace SiteCraft.Ml.Cli.Validation;

/// <summary>
/// The running count of a file's validation: records, violations per rule, and the first
/// <see cref="ListLimit"/> invalid records in full. Memory stays bounded whatever the file's size.
/// </summary>
public sealed class ValidationTally(int listLimit)
{
    private readonly Dictionary<string, (long Violations, long Records)> _rules = new(StringComparer.Ordinal);
    private readonly List<InvalidRecord> _listed = [];
    private readonly HashSet<string> _recordRules = new(StringComparer.Ordinal);

    public int ListLimit { get; } = listLimit;

    public long Records { get; private set; }

    public long Invalid { get; private set; }

    public long Valid => Records - Invalid;

    public long Violations { get; private set; }

    /// <summary>The first invalid records, in file order, at most <see cref="ListLimit"/>.</summary>
    public IReadOnlyList<InvalidRecord> Listed => _listed;

    /// <summary>Invalid records counted but not listed.</summary>
    public long Unlisted => Invalid - _listed.Count;

    /// <summary>Every rule broken, the most broken first.</summary>
    public IReadOnlyList<RuleCount> Rules =>
    [
        .. _rules
            .Select(r => new RuleCount(r.Key, r.Value.Violations, r.Value.Records))
            .OrderByDescending(r => r.Violations)
            .ThenBy(r => r.Rule, StringComparer.Ordinal),
    ];

    public void Add(long line, ValidationResult result)
    {
        Records++;
        if (result.IsValid)
        {
            return;
        }

        Invalid++;
        Violations += result.Violations.Count;
        _recordRules.Clear();
        foreach (var violation in result.Violations)
        {
            var counts = _rules.GetValueOrDefault(violation.Rule);
            _rules[violation.Rule] = (counts.Violations + 1, counts.Records + (_recordRules.Add(violation.Rule) ? 1 : 0));
        }

        if (_listed.Count < ListLimit)
        {
            _listed.Add(new InvalidRecord(line, result.Violations));
        }
    }
}

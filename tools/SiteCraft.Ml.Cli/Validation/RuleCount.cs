namespace SiteCraft.Ml.Cli.Validation;

/// <summary>How often one rule was broken: violations in all, and records with at least one.</summary>
public sealed record RuleCount(string Rule, long Violations, long Records);

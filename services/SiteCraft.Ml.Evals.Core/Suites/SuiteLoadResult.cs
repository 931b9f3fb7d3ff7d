namespace SiteCraft.Ml.Evals.Core.Suites;

/// <summary>The suites of a folder that loaded, and the problem of each file that did not.</summary>
public sealed record SuiteLoadResult(IReadOnlyList<SuiteDefinition> Suites, IReadOnlyList<SuiteFormatException> Errors);

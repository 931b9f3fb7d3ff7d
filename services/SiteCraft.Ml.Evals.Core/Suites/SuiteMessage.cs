namespace SiteCraft.Ml.Evals.Core.Suites;

/// <summary>One turn of a case's conversation.</summary>
/// <param name="Role">user or assistant (the system text comes from the suite's defaults).</param>
/// <param name="Text">What was said; never empty.</param>
public sealed record SuiteMessage(string Role, string Text);

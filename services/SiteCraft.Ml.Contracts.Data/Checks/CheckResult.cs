namespace SiteCraft.Ml.Contracts.Data.Checks;

/// <summary>The outcome of a check, ordered from best to worst so a report takes the maximum.</summary>
public enum CheckResult
{
    Pass,
    Warn,
    Fail,
}

namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>Whether a metric counts rows or a share of them.</summary>
public enum QualityUnit
{
    Rows,
    Percent,
}

namespace SiteCraft.Ml.Contracts.Core.Definitions;

public enum ShingleUnit
{
    Word,
    Character,
}

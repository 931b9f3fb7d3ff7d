namespace SiteCraft.Ml.Contracts.Core.Curation;

public enum PiiKind
{
    Email,
    Phone,
    CreditCard,
    IPv4,
    IPv6,
    Secret,
}

using System.Collections.Frozen;

namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>The fields of a training record that the curation section may name, by section.</summary>
public static class CuratedFields
{
    public const string Id = "id";
    public const string Source = "source";
    public const string UseCase = "use_case";
    public const string TenantId = "tenant_id";
    public const string SiteId = "site_id";
    public const string Messages = "messages";
    public const string MessageContent = "messages.content";
    public const string Completion = "completion";

    /// <summary>Prose that normalisation, quality and near-dedup work on.</summary>
    public static FrozenSet<string> Prose { get; } = FrozenSet.Create(StringComparer.Ordinal, MessageContent, Completion);

    /// <summary>Every text field PII scanning can look at.</summary>
    public static FrozenSet<string> Text { get; } = FrozenSet.Create(StringComparer.Ordinal, Id, Source, UseCase, TenantId, SiteId, MessageContent, Completion);

    /// <summary>Fields that can make up the exact-dedup key.</summary>
    public static FrozenSet<string> DedupKey { get; } = FrozenSet.Create(StringComparer.Ordinal, Source, UseCase, TenantId, SiteId, Messages, Completion);
}

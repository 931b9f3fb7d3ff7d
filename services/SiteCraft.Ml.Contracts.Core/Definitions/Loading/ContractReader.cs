using System.Collections.Frozen;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Contracts.Core.Definitions.Loading;

/// <summary>
/// Reads the top of a contract (apiVersion, kind, id, version, status) and hands each section to
/// its reader: schema, SLA, curation. Every problem is recorded in <see cref="YamlNodes"/> at its
/// line and column; the result is null when any was found.
/// </summary>
internal sealed partial class ContractReader(YamlNodes y)
{
    private const string Top = "the contract";
    private const string SupportedKind = "DataContract";

    private static readonly FrozenSet<string> s_topKeys = YamlNodes.Keys(
        "apiVersion", "kind", "id", "name", "version", "status", "domain", "dataProduct", "tenant", "description",
        "tags", "schema", "slaProperties", "slaDefaultElement", "support", "team", "roles", "price", "servers",
        "authoritativeDefinitions", "customProperties", "contractCreatedTs", "curation");

    // The values ai_data_contracts.status accepts.
    private static readonly FrozenSet<string> s_statuses = YamlNodes.Keys("draft", "active", "deprecated");

    public DataContract? Contract(YamlNode root)
    {
        if (y.Mapping(root, Top) is not { } map)
        {
            return null;
        }

        y.CheckKeys(map, Top, s_topKeys);

        var apiVersion = y.RequiredString(map, "apiVersion", Top);
        if (apiVersion is not null && !OdcsVersion().IsMatch(apiVersion))
        {
            y.Error(YamlNodes.Get(map, "apiVersion")!, $"apiVersion '{apiVersion}' is not an ODCS v3 version such as v3.0.2");
        }

        var kind = y.RequiredString(map, "kind", Top);
        if (kind is not null && kind != SupportedKind)
        {
            y.Error(YamlNodes.Get(map, "kind")!, $"kind must be {SupportedKind}, not '{kind}'");
        }

        var id = y.RequiredString(map, "id", Top);
        if (id is not null && !ContractId().IsMatch(id))
        {
            y.Error(YamlNodes.Get(map, "id")!, $"id '{id}' must be lowercase letters, digits, '_', '.' or '-', starting with a letter");
        }

        var version = y.RequiredString(map, "version", Top);
        if (version is not null && !SemanticVersion().IsMatch(version))
        {
            y.Error(YamlNodes.Get(map, "version")!, $"version '{version}' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.0.0)");
        }

        var status = y.RequiredString(map, "status", Top);
        if (status is not null && !s_statuses.Contains(status))
        {
            y.Error(YamlNodes.Get(map, "status")!, $"status '{status}' must be one of: draft, active, deprecated");
        }

        var name = y.OptionalString(map, "name", Top);
        var (schema, maxDepth) = y.Required(map, "schema", Top) is { } schemaNode ? new SchemaReader(y, new QualityRuleReader(y)).Schema(schemaNode) : (null, 0);
        var freshness = y.Required(map, "slaProperties", Top) is { } slaNode ? new SlaReader(y).Freshness(slaNode, schema) : null;
        var curation = y.Required(map, "curation", Top) is { } curationNode ? new CurationReader(y).Curation(curationNode) : null;

        if (apiVersion is null || id is null || version is null || status is null || schema is null || freshness is null || curation is null)
        {
            return null;
        }

        return new DataContract
        {
            ApiVersion = apiVersion,
            Id = id,
            Name = name,
            Version = version,
            Status = status,
            Schema = schema,
            MaxDepth = maxDepth,
            Freshness = freshness,
            Curation = curation,
            Sha256 = "",
            Body = "",
            Source = "",
        };
    }

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();

    [GeneratedRegex(@"^v3\.\d+\.\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex OdcsVersion();

    [GeneratedRegex(@"^[a-z][a-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ContractId();
}

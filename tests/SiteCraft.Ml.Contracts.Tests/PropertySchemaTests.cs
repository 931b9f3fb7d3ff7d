using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Tests;

public sealed class PropertySchemaTests
{
    [Fact]
    public void The_shipped_contract_keeps_its_table_name_and_restricted_fields()
    {
        var schema = TrainingContract.Contract.Schema;

        Assert.Equal("ai_training_examples", schema.StoredName);
        Assert.Equal(["tenant_id", "site_id"], schema.Properties.Where(p => p.Classification == "restricted").Select(p => p.Name));
        Assert.Equal(["content_sha256"], (IReadOnlyList<string>)schema.Quality.Single(r => r.Metric == "duplicateValues").Arguments["properties"]);
    }

    [Fact]
    public void A_physical_name_is_where_the_property_is_stored_and_the_name_is_the_default()
    {
        var yaml = TrainingContract.Yaml
            .Replace("physicalName: ai_training_examples", "physicalName: training_rows", StringComparison.Ordinal)
            .Replace("""
                  - name: completion
                    logicalType: string
            """, """
                  - name: completion
                    physicalName: completion_text
                    logicalType: string
            """, StringComparison.Ordinal);

        var schema = DataContractLoader.Load(yaml, "renamed.yaml").Schema;

        Assert.Equal("training_rows", schema.StoredName);
        Assert.Equal("completion_text", schema.Property("completion")!.StoredName);
        Assert.Equal("source", schema.Property("source")!.StoredName);
    }

    [Fact]
    public void The_allowed_values_of_a_rule_are_readable_in_their_own_types()
    {
        var schema = TrainingContract.Contract.Schema;

        Assert.Equal(["site.page.json", "site.section.copy", "site.seo.meta"], schema.Property("use_case")!.ValidValues!.Strings.Order(StringComparer.Ordinal));
        Assert.Equal([true], schema.Property("consent")!.ValidValues!.Booleans);
        Assert.Empty(schema.Property("consent")!.ValidValues!.Strings);
    }
}

using System.Text.Json;
using SiteCraft.Ml.Catalog;

namespace SiteCraft.Ml.AppHost.Tests.Catalog;

public sealed class UseCaseCatalogTests
{
    [Fact]
    public void The_catalog_has_the_three_sitecraft_use_cases_with_unique_ids()
    {
        Assert.Equal(["site.page.json", "site.section.copy", "site.seo.meta"], UseCaseCatalog.Ids);
        Assert.Equal(UseCaseCatalog.All.Count, UseCaseCatalog.Ids.Distinct().Count());
    }

    [Fact]
    public void Json_use_cases_carry_a_2020_12_schema_and_text_ones_none()
    {
        foreach (var useCase in UseCaseCatalog.All)
        {
            if (useCase.Format == UseCaseFormat.Json)
            {
                using var schema = JsonDocument.Parse(useCase.JsonSchema!);
                Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
            }
            else
            {
                Assert.Null(useCase.JsonSchema);
            }
        }
    }

    [Fact]
    public void Seo_schema_limits_agree_with_the_catalog_limits()
    {
        var seo = UseCaseCatalog.Get(UseCaseCatalog.SeoMeta);
        using var schema = JsonDocument.Parse(seo.JsonSchema!);
        var properties = schema.RootElement.GetProperty("properties");

        Assert.Equal(seo.Limits["title_max_chars"], properties.GetProperty("title").GetProperty("maxLength").GetInt32());
        Assert.Equal(seo.Limits["description_max_chars"], properties.GetProperty("description").GetProperty("maxLength").GetInt32());
    }

    [Fact]
    public void An_unknown_use_case_is_named_with_the_known_ones()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => UseCaseCatalog.Get("site.blog"));

        Assert.Contains("site.blog", error.Message, StringComparison.Ordinal);
        Assert.Contains("site.seo.meta", error.Message, StringComparison.Ordinal);
        Assert.False(UseCaseCatalog.TryGet("site.blog", out _));
    }
}

using SiteCraft.Ml.Evals.Core.Scoring;
using SiteCraft.Ml.Evals.Core.Suites;
using SiteCraft.Ml.Evals.Data;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>The eval plane's pure pieces: targets, the cache key, the online sample and its assertions.</summary>
public sealed class EvalPlaneTests
{
    private static readonly SuiteDefaults s_defaults = new("Write copy.", 64, 0, null, 7, "text", null, 1);
    private static readonly SuiteMessage[] s_messages = [new("user", "Write the hero section.")];

    [Theory]
    [InlineData("openai", null, "model")]
    [InlineData(null, "gpt-4o-mini", "provider")]
    public void A_pinned_target_needs_both_provider_and_model(string? provider, string? model, string field)
    {
        var error = Assert.Throws<EvalRequestException>(() => EvalTarget.Create("development", provider, model));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void A_target_without_provider_and_model_is_the_environments_policy()
    {
        var target = EvalTarget.Create(" staging ", " ", null);

        Assert.False(target.IsPinned);
        Assert.Equal("staging", target.Environment);
        Assert.Equal("the staging routing policy", target.ToString());
    }

    [Fact]
    public void The_cache_key_is_stable_and_changes_with_target_parameters_input_and_repeat()
    {
        var target = new EvalTarget("development", "sitecraft-local", "sitecraft-base@1");
        var key = EvalRunner.CacheKey(target, "site.section.copy", s_defaults, s_messages, 0);

        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, EvalRunner.CacheKey(target with { }, "site.section.copy", s_defaults with { }, [new("user", "Write the hero section.")], 0));
        Assert.NotEqual(key, EvalRunner.CacheKey(target, "site.section.copy", s_defaults, s_messages, 1));
        Assert.NotEqual(key, EvalRunner.CacheKey(target with { Model = "sitecraft-base@2" }, "site.section.copy", s_defaults, s_messages, 0));
        Assert.NotEqual(key, EvalRunner.CacheKey(target with { Environment = "staging" }, "site.section.copy", s_defaults, s_messages, 0));
        Assert.NotEqual(key, EvalRunner.CacheKey(target, "site.section.copy", s_defaults with { Temperature = 0.7 }, s_messages, 0));
        Assert.NotEqual(key, EvalRunner.CacheKey(target, "site.section.copy", s_defaults, [new("user", "Write the about section.")], 0));
    }

    [Fact]
    public void The_online_sample_takes_about_the_rate_and_grows_as_a_superset()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => new Guid(i, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8])).ToList();

        var share = ids.Count(id => OnlineEvaluator.IsSampled(id, 0.25)) / (double)ids.Count;

        Assert.InRange(share, 0.24, 0.26);
        Assert.DoesNotContain(ids, id => OnlineEvaluator.IsSampled(id, 0));
        Assert.All(ids.Take(100), id => Assert.True(OnlineEvaluator.IsSampled(id, 1)));
        // A generation in the 10% sample stays in when the share grows.
        Assert.All(ids.Where(id => OnlineEvaluator.IsSampled(id, 0.1)), id => Assert.True(OnlineEvaluator.IsSampled(id, 0.3)));
    }

    [Fact]
    public void Online_evals_use_only_the_suites_reference_free_assertions()
    {
        var folder = Directory.CreateTempSubdirectory("sitecraft-online-").FullName;
        try
        {
            var path = Path.Combine(folder, "seo.yaml");
            File.WriteAllText(path, """
                suite: seo
                use_case: site.seo.meta
                pass_threshold: 0.9
                assertions:
                  - type: is-json
                  - type: rouge-l
                    threshold: 0.3
                  - type: llm-judge
                    rubric: "Names the city?"
                  - type: not-f1
                    threshold: 0.9
                  - type: length
                    path: /title
                    max: 60
                cases:
                  - id: a
                    input: "Business: Rosa Bakery"
                    expected: '{"title":"Rosa Bakery","description":"Bread in Lisbon."}'
                """);
            var suite = SuiteLoader.LoadFile(path);

            var assertions = OnlineEvaluator.ReferenceFree(suite);

            Assert.Equal(["is-json", "length"], assertions.Select(a => a.Name!));
            Assert.True(SampleScorer.Score(assertions, """{"title":"Rosa Bakery"}""", default).Passed);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

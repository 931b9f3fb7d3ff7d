using SiteCraft.Ml.Evals.Core.Gates;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>The gate policy file: inheritance from default, and errors that name the line.</summary>
public sealed class GatePoliciesTests
{
    [Fact]
    public void The_shipped_policies_load_and_unnamed_use_cases_get_the_default()
    {
        var policies = GatePolicies.Load(ShippedFile());

        Assert.Equal(["site.page.json", "site.section.copy", "site.seo.meta"], policies.UseCases.Keys.Order(StringComparer.Ordinal));
        var seo = policies.For("site.seo.meta");
        Assert.Equal(0.90, seo.MinPassRateLowerBound);
        Assert.Equal(50, seo.MinSamples);
        // Not named for site.seo.meta, so inherited from default.
        Assert.Equal(policies.Default.NonInferiorityMargin, seo.NonInferiorityMargin);
        Assert.Same(policies.Default, policies.For("site.unknown"));
        Assert.All(policies.UseCases.Values.Append(policies.Default), p => Assert.NotNull(p.MinPassRateLowerBound));
    }

    [Fact]
    public void A_use_case_overrides_the_default_and_null_turns_a_rule_off()
    {
        var policies = GatePolicies.Parse(
            """
            default:
              max_error_rate: 0.05
              min_samples: 30
            site.seo.meta:
              max_error_rate: ~
              max_cost_usd_per_sample: 0.002
            """,
            "gates.yaml");

        Assert.Equal(new GatePolicy(MaxErrorRate: 0.05, MinSamples: 30), policies.Default);
        Assert.Equal(new GatePolicy(MinSamples: 30, MaxCostUsdPerSample: 0.002m), policies.For("site.seo.meta"));
    }

    [Fact]
    public void Unknown_rules_and_bad_values_are_reported_with_file_and_line()
    {
        var error = Assert.Throws<GatePolicyException>(() => GatePolicies.Parse(
            """
            default:
              max_errors: 0.05
              min_pass_rate_lower_bound: 1.5
              min_samples: 2.5
            site.seo.meta:
              max_cost_usd_per_sample: cheap
              max_p95_latency_ms: [1]
            """,
            "gates.yaml"));

        Assert.Equal(
            [
                "gates.yaml:2: unknown rule 'max_errors'; expected one of: min_pass_rate_lower_bound, non_inferiority_margin, max_error_rate, max_p95_latency_ms, max_cost_usd_per_sample, min_samples",
                "gates.yaml:3: 'min_pass_rate_lower_bound' must be a number in [0, 1], not '1.5'",
                "gates.yaml:4: 'min_samples' must be a whole number ≥ 1, not '2.5'",
                "gates.yaml:6: 'max_cost_usd_per_sample' must be an amount in USD ≥ 0, not 'cheap'",
                "gates.yaml:7: 'max_p95_latency_ms' must be a number or null",
            ],
            error.Errors);
    }

    [Fact]
    public void A_file_without_a_default_or_that_is_not_yaml_is_refused()
    {
        var missing = Assert.Throws<GatePolicyException>(() => GatePolicies.Parse("site.seo.meta:\n  min_samples: 3\n", "gates.yaml"));
        var broken = Assert.Throws<GatePolicyException>(() => GatePolicies.Parse("default: [\n", "gates.yaml"));

        Assert.Equal(["gates.yaml:1: no 'default:' policy; every use case the file does not name needs one"], missing.Errors);
        Assert.StartsWith("gates.yaml:", Assert.Single(broken.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_serializes_as_snake_case_json_for_the_gates_table() =>
        Assert.Equal(
            "{\"min_pass_rate_lower_bound\":0.85,\"non_inferiority_margin\":null,\"max_error_rate\":0.05,\"max_p95_latency_ms\":null,\"max_cost_usd_per_sample\":0.01,\"min_samples\":30}",
            new GatePolicy(MinPassRateLowerBound: 0.85, MaxErrorRate: 0.05, MaxCostUsdPerSample: 0.01m, MinSamples: 30).ToJson());

    private static string ShippedFile()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "docs", "evals", "gates.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/evals/gates.yaml is not above the test binaries");
    }
}

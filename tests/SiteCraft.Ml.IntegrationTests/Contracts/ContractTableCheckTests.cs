using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Data.Checks;
using SiteCraft.Ml.Contracts.Data.Registry;

namespace SiteCraft.Ml.IntegrationTests.Contracts;

/// <summary>The shipped contract's checks run on a real, migrated ai_training_examples table.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed class ContractTableCheckTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_healthy_table_passes_every_check_of_the_shipped_contract()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        string[] useCases = ["site.page.json", "site.section.copy", "site.seo.meta"];
        await scope.InsertAsync(TrainingDataScope.Rows(60, seed: 21, (i, row) => row with
        {
            UseCase = useCases[i % 3],
            CreatedAt = TrainingDataScope.Now.AddDays(-i / 10.0),
            TenantId = i % 2 == 0 ? null : row.TenantId,
        }));

        var report = await Checker(scope).TestAsync(scope.Contract, CancellationToken.None);

        Assert.Equal(CheckResult.Pass, report.Result);
        Assert.All(report.Checks, check => Assert.True(check.Result == CheckResult.Pass, $"{check.Name}: {check.Message}"));
        Assert.Equal("ai_training_examples@1.0.0", report.Contract);
        Assert.Equal(TrainingDataScope.Now, report.CheckedAt);
        Assert.Equal(
            [
                "contractRegistered",
                "present(id)", "present(source)", "present(use_case)", "present(messages)", "present(completion)",
                "present(tenant_id)", "present(site_id)", "present(consent)", "present(quality_signals)", "present(created_at)",
                "rowCount", "duplicateValues(content_sha256)",
                "required(id)", "unique(id)", "required(source)", "required(use_case)", "invalidValues(use_case)",
                "required(messages)", "required(completion)", "required(consent)", "invalidValues(consent)", "required(created_at)",
                "freshness(created_at)",
            ],
            report.Checks.Select(c => c.Name));
        Assert.Equal(("rowCount > 0", "60"), (Check(report, "rowCount").Expected, Check(report, "rowCount").Actual));
        Assert.Equal("0 s (newest 2026-11-20T12:00:00Z)", Check(report, "freshness(created_at)").Actual);
    }

    [Fact]
    public async Task An_empty_table_fails_its_row_count_and_leaves_freshness_undecided()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);

        var report = await Checker(scope).TestAsync(scope.Contract, CancellationToken.None);

        Assert.Equal(CheckResult.Fail, report.Result);
        var rowCount = Check(report, "rowCount");
        Assert.Equal((CheckResult.Fail, "rowCount > 0", "0"), (rowCount.Result, rowCount.Expected, rowCount.Actual));
        Assert.Contains("A table with no examples means the pipeline is broken.", rowCount.Message, StringComparison.Ordinal);
        var freshness = Check(report, "freshness(created_at)");
        Assert.Equal((CheckResult.Warn, "no rows"), (freshness.Result, freshness.Actual));
        Assert.Equal(["rowCount"], report.Checks.Where(c => c.Result == CheckResult.Fail).Select(c => c.Name));
        Assert.Equal(["freshness(created_at)"], report.Checks.Where(c => c.Result == CheckResult.Warn).Select(c => c.Name));
    }

    [Fact]
    public async Task Stale_rows_fail_freshness_saying_how_old_they_are_and_what_the_sla_allows()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.InsertAsync(TrainingDataScope.Rows(20, seed: 22, (i, row) => row with { CreatedAt = TrainingDataScope.Now.AddDays(-9.5 - i) }));

        var report = await Checker(scope).TestAsync(scope.Contract, CancellationToken.None);

        var freshness = Check(report, "freshness(created_at)");
        Assert.Equal(CheckResult.Fail, freshness.Result);
        Assert.Equal("newest created_at at most 7 d old", freshness.Expected);
        Assert.Equal("9.5 d (newest 2026-11-11T00:00:00Z)", freshness.Actual);
        Assert.Equal("the newest created_at is 9.5 d old; the SLA allows 7 d", freshness.Message);
        Assert.Equal(CheckResult.Fail, report.Result);
        Assert.Equal(["freshness(created_at)"], report.Checks.Where(c => c.Result != CheckResult.Pass).Select(c => c.Name));
    }

    [Fact]
    public async Task Freshness_passes_right_up_to_the_sla_and_fails_just_after()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.InsertAsync([new ExampleRow { CreatedAt = TrainingDataScope.Now.AddDays(-7) }]);

        var atLimit = await Checker(scope).TestAsync(scope.Contract, CancellationToken.None);
        scope.Time.Advance(TimeSpan.FromSeconds(1));
        var past = await Checker(scope).TestAsync(scope.Contract, CancellationToken.None);

        Assert.Equal(CheckResult.Pass, Check(atLimit, "freshness(created_at)").Result);
        Assert.Equal(CheckResult.Fail, Check(past, "freshness(created_at)").Result);
    }

    [Fact]
    public async Task Rows_with_a_use_case_outside_the_catalog_fail_invalidValues_with_their_count()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.InsertAsync(TrainingDataScope.Rows(30, seed: 23));
        await scope.Db.ScalarAsync<object>(
            "update ai_training_examples set use_case = 'site.blog.post' where id in (select id from ai_training_examples order by id limit 3)");

        var report = await Checker(scope).TestAsync(scope.Contract, CancellationToken.None);

        var invalid = Check(report, "invalidValues(use_case)");
        Assert.Equal((CheckResult.Fail, "invalidValues = 0", "3"), (invalid.Result, invalid.Expected, invalid.Actual));
        Assert.Equal("3 rows have a use_case outside site.page.json, site.section.copy, site.seo.meta: the contract requires invalidValues = 0", invalid.Message);
        Assert.Equal(["invalidValues(use_case)"], report.Checks.Where(c => c.Result != CheckResult.Pass).Select(c => c.Name));
    }

    [Fact]
    public async Task Rows_without_consent_fail_invalidValues_compared_as_booleans()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.InsertAsync(TrainingDataScope.Rows(12, seed: 24, (i, row) => row with { Consent = i >= 5 }));

        var report = await Checker(scope).TestAsync(scope.Contract, CancellationToken.None);

        var consent = Check(report, "invalidValues(consent)");
        Assert.Equal((CheckResult.Fail, "5"), (consent.Result, consent.Actual));
        Assert.Contains("Consent must be given.", consent.Message, StringComparison.Ordinal);
        Assert.Equal(CheckResult.Pass, Check(report, "required(consent)").Result);
    }

    [Fact]
    public async Task Only_the_contracts_own_rows_are_checked()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        await scope.Db.ScalarAsync<object>(
            "insert into ai_data_contracts (contract_id, version, sha256, body) values ('other_examples', '1.0.0', $1, 'other')", new string('0', 64));
        await scope.InsertAsync(TrainingDataScope.Rows(10, seed: 25));
        await scope.InsertAsync(TrainingDataScope.Rows(10, seed: 26, (_, row) => row with
        {
            ContractId = "other_examples",
            UseCase = "other.thing",
            Consent = false,
            CreatedAt = TrainingDataScope.Now.AddYears(-1),
        }));

        var report = await Checker(scope).TestAsync(scope.Contract, CancellationToken.None);

        Assert.Equal(CheckResult.Pass, report.Result);
        Assert.Equal("10", Check(report, "rowCount").Actual);
    }

    [Fact]
    public async Task A_contract_that_is_not_registered_is_a_warning()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform, register: false);

        var report = await Checker(scope).TestAsync(scope.Contract, CancellationToken.None);

        var registered = Check(report, "contractRegistered");
        Assert.Equal((CheckResult.Warn, "not registered"), (registered.Result, registered.Actual));
        Assert.Contains("ai_training_examples@1.0.0", registered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_contract_registered_with_another_hash_fails()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform, register: false);
        var other = new string('a', 64);
        await scope.Db.ScalarAsync<object>(
            "insert into ai_data_contracts (contract_id, version, sha256, body) values ('ai_training_examples', '1.0.0', $1, 'an older body')", other);
        await scope.InsertAsync(TrainingDataScope.Rows(5, seed: 27));

        var report = await Checker(scope).TestAsync(scope.Contract, CancellationToken.None);

        var registered = Check(report, "contractRegistered");
        Assert.Equal((CheckResult.Fail, $"sha256 {other}", $"sha256 {scope.Contract.Sha256}"), (registered.Result, registered.Actual, registered.Expected));
        Assert.Equal(CheckResult.Fail, report.Result);
        Assert.Equal(["contractRegistered"], report.Checks.Where(c => c.Result != CheckResult.Pass).Select(c => c.Name));
    }

    [Fact]
    public async Task A_property_with_no_column_is_a_warning_naming_it()
    {
        await using var scope = await TrainingDataScope.CreateAsync(platform);
        var yaml = scope.Contract.Body
            .Replace("version: 1.0.0", "version: 1.1.0", StringComparison.Ordinal)
            .Replace("""
                  - name: created_at
            """, """
                  - name: locale
                    logicalType: string
                    required: true

                  - name: created_at
            """, StringComparison.Ordinal);
        var contract = DataContractLoader.Load(yaml, "with-locale.yaml");
        await new ContractStore(scope.Db.DataSource).RegisterAsync(contract, CancellationToken.None);
        await scope.InsertAsync(TrainingDataScope.Rows(5, seed: 28));

        var report = await Checker(scope).TestAsync(contract, CancellationToken.None);

        var locale = Check(report, "present(locale)");
        Assert.Equal(CheckResult.Warn, locale.Result);
        Assert.Contains("locale", locale.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Checks, c => c.Name == "required(locale)");
        Assert.Equal(CheckResult.Warn, report.Result);
        Assert.Equal(["present(locale)"], report.Checks.Where(c => c.Result != CheckResult.Pass).Select(c => c.Name));
    }

    private static ContractTableChecker Checker(TrainingDataScope scope) => new(scope.Db.DataSource, scope.Time);

    private static ContractCheckResult Check(ContractTestReport report, string name) => Assert.Single(report.Checks, c => c.Name == name);
}

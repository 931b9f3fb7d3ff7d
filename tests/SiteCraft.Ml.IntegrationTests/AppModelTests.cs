namespace SiteCraft.Ml.IntegrationTests;

/// <summary>The graph as built (not started): what each environment and mode offers.</summary>
public sealed class AppModelTests
{
    private static async Task<IDistributedApplicationTestingBuilder> BuildModelAsync(string environment, params string[] arguments) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.SiteCraft_Ml_AppHost>(
            arguments,
            (_, settings) => settings.EnvironmentName = environment);

    private static bool HasResetCommand(IDistributedApplicationTestingBuilder builder) =>
        builder.Resources.Single(r => r.Name == "sitecraft").Annotations
            .OfType<ResourceCommandAnnotation>()
            .Any(c => c.Name == "reset-database");

    [Fact]
    public async Task Reset_database_is_offered_in_development()
    {
        await using var builder = await BuildModelAsync("Development", "--Postgres:Mode=local");

        Assert.True(HasResetCommand(builder));
    }

    [Fact]
    public async Task Reset_database_is_not_offered_outside_development()
    {
        await using var builder = await BuildModelAsync("Production", "--Postgres:Mode=local");

        Assert.False(HasResetCommand(builder));
    }

    [Fact]
    public async Task Reset_database_is_not_offered_for_an_external_server()
    {
        await using var builder = await BuildModelAsync(
            "Development", "--Postgres:Mode=external", "--ConnectionStrings:sitecraft=Host=localhost;Database=x");

        Assert.False(HasResetCommand(builder));
    }

    [Fact]
    public async Task Every_service_waits_for_the_migrator_to_finish_and_references_the_database()
    {
        await using var builder = await BuildModelAsync("Development", "--Postgres:Mode=local");

        foreach (var name in PlatformFixture.Services)
        {
            var service = builder.Resources.Single(r => r.Name == name);
            var waits = service.Annotations.OfType<WaitAnnotation>().ToList();
            Assert.Contains(waits, w => w.Resource.Name == "migrator" && w.WaitType == WaitType.WaitForCompletion);
            Assert.Contains(
                service.Annotations.OfType<ResourceRelationshipAnnotation>(),
                r => r.Resource.Name == "sitecraft" && r.Type == "Reference");
        }
    }

    [Fact]
    public async Task Evals_call_inference_with_the_admin_token_and_offer_run_nightly_now()
    {
        await using var builder = await BuildModelAsync("Development", "--Postgres:Mode=local");

        var evals = builder.Resources.Single(r => r.Name == "evals");
        Assert.Contains(evals.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == "run-nightly-evals" && c.DisplayName == "Run nightly suites now");
        Assert.Contains(evals.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "inference");
        Assert.Contains(evals.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource.Name == "inference" && r.Type == "Reference");
    }
}

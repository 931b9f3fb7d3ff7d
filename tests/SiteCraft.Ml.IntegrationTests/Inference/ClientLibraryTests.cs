using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SiteCraft.Ml.Client;
using SiteCraft.Ml.Inference.V1;
using static SiteCraft.Ml.IntegrationTests.Inference.InferenceScope;

namespace SiteCraft.Ml.IntegrationTests.Inference;

[Collection(PlatformTestGroup.Name)]
public sealed class ClientLibraryTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_product_app_client_calls_the_service_and_stamps_a_request_id()
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync("site.section.copy", [Arm(OpenAIProvider, "echo")]);
        // A product app's host provides configuration; service discovery reads endpoints from it.
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSiteCraftInference(options => options.Address = platform.App.GetEndpoint("inference", "grpc"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<GenerationService.GenerationServiceClient>();

        var request = scope.Request("site.section.copy", "from the product app");
        var response = await client.GenerateAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal("echo: from the product app", response.Text);
        Assert.NotEmpty(request.RequestId);
        var requestIds = await scope.Db.StringsAsync(
            $"select coalesce(request_id, '') from ai_generation_events where environment = '{scope.Environment}'");
        Assert.Equal(request.RequestId, Assert.Single(await WaitAsync(scope, requestIds)));
    }

    private static async Task<List<string>> WaitAsync(InferenceScope scope, List<string> first)
    {
        var rows = first;
        for (var i = 0; i < 100 && rows.Count == 0; i++)
        {
            await Task.Delay(100);
            rows = await scope.Db.StringsAsync($"select coalesce(request_id, '') from ai_generation_events where environment = '{scope.Environment}'");
        }

        return rows;
    }
}

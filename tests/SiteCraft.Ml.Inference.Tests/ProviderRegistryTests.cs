using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using SiteCraft.Ml.FakeProviders;
using SiteCraft.Ml.Inference.Providers;

namespace SiteCraft.Ml.Inference.Tests;

public sealed class ProviderRegistryTests
{
    private static ProviderRegistry Registry(Dictionary<string, string?> settings) => new(
        [new OpenAICompatibleClientFactory(), new AnthropicClientFactory()],
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
        TimeProvider.System);

    [Fact]
    public async Task Each_provider_call_is_a_client_span_with_the_genai_conventions()
    {
        await using var server = await FakeProviderServer.StartOpenAIAsync("k");
        using var registry = Registry(new() { ["Providers:t:ApiKey"] = "k" });
        var config = new ProviderConfig("dev", "t", "openai-compatible", server.BaseUrl.ToString().TrimEnd('/'), "Providers:t:ApiKey", true);
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ProviderRegistry.ClientTelemetrySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var response = await registry.ClientFor(config, "echo").GetResponseAsync("hello span");

        Assert.Equal("echo: hello span", response.Text);
        var span = Assert.Single(spans);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("echo", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal("echo", span.GetTagItem("gen_ai.response.model"));
        Assert.NotNull(span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(3, Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        // Bodies never reach telemetry.
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value is string text && text.Contains("hello span", StringComparison.Ordinal));
    }

    [Fact]
    public void A_provider_without_its_key_is_disabled_with_the_setting_to_fill_in()
    {
        using var registry = Registry([]);

        var reason = registry.DisabledReason(new ProviderConfig("dev", "openai", "openai-compatible", "https://api.openai.com/v1", "Providers:openai:ApiKey", true));

        Assert.Equal("no API key: set configuration key Providers:openai:ApiKey", reason);
    }

    [Theory]
    [InlineData("local", "no engine for provider kind 'local' is installed in this build")]
    [InlineData("openai-compatible", "no base_url in ai_provider_settings")]
    public void A_provider_that_cannot_be_built_says_why(string kind, string expected)
    {
        using var registry = Registry([]);

        Assert.Equal(expected, registry.DisabledReason(new ProviderConfig("dev", "p", kind, null, null, true)));
    }

    [Fact]
    public void A_local_server_without_a_key_setting_needs_no_key()
    {
        using var registry = Registry([]);

        Assert.Null(registry.DisabledReason(new ProviderConfig("dev", "vllm", "openai-compatible", "http://localhost:8000/v1", null, true)));
        Assert.Equal("disabled in ai_provider_settings",
            registry.DisabledReason(new ProviderConfig("dev", "vllm", "openai-compatible", "http://localhost:8000/v1", null, Enabled: false)));
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SiteCraft.Ml.Inference.Generation;

namespace SiteCraft.Ml.Inference.Tests;

public sealed class GenerationMetricsTests
{
    [Fact]
    public void Server_metrics_use_the_genai_names_and_never_carry_tenant_or_user_ids()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new GenerationMetrics(services.GetRequiredService<IMeterFactory>());
        var measured = new ConcurrentQueue<(string Instrument, KeyValuePair<string, object?>[] Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GenerationMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => measured.Enqueue((instrument.Name, tags.ToArray())));
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => measured.Enqueue((instrument.Name, tags.ToArray())));
        listener.Start();

        metrics.FirstToken(TimeSpan.FromMilliseconds(40), "site.page.json", "openai", "gpt-4o-mini", "canary");
        metrics.RequestCompleted(TimeSpan.FromMilliseconds(90), "site.page.json", "openai", "gpt-4o-mini", "canary", null, streaming: true);
        metrics.Attempt("openai", "gpt-4o-mini", "fallback", "ok", null);

        Assert.Equal(
            ["gen_ai.server.time_to_first_token", "gen_ai.server.request.duration", "sitecraft.generation.attempts", "sitecraft.generation.fallbacks"],
            measured.Select(m => m.Instrument));
        var ttft = measured.First().Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("chat", ttft["gen_ai.operation.name"]);
        Assert.Equal("canary", ttft["sitecraft.route.arm"]);
        Assert.All(measured.SelectMany(m => m.Tags), tag =>
            Assert.DoesNotMatch("tenant|site_id|user|session", tag.Key));
    }
}

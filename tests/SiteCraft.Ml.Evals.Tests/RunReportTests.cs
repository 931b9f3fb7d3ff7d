using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SiteCraft.Ml.Evals.Core.Reports;
using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Core.Scoring;
using static SiteCraft.Ml.Evals.Tests.EvalSamples;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>The run report file: written streaming, read back exactly, hostile text included.</summary>
public sealed class RunReportTests
{
    public static readonly EvalRun Run = new(
        Guid.Parse("4b6f1f7e-2b4a-4d1e-9a51-0c3e7b9d2a10"),
        "site.seo.meta",
        "site-seo-meta",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "openai",
        "gpt-4o-mini",
        null,
        "development",
        "completed",
        2,
        Guid.Parse("0b0a1c2d-3e4f-4a5b-8c6d-7e8f90a1b2c3"),
        "5dee6e4",
        new DateTimeOffset(2026, 11, 27, 3, 0, 0, 123, TimeSpan.Zero),
        new DateTimeOffset(2026, 11, 27, 3, 0, 1, TimeSpan.FromHours(1)),
        null,
        new JsonObject { ["temperature"] = 0, ["system"] = "You write 'meta' \"tags\"" },
        new JsonObject { ["started_by"] = "ci" });

    /// <summary>Two repeats per hostile text: one judged with scores, one errored with the text as its error.</summary>
    public static List<EvalSample> HostileSamples() =>
    [
        .. HostileTexts.SelectMany((text, i) => new[]
        {
            new EvalSample($"case-{i}", 0, text, i % 2 == 0, i / 20.0,
                new Dictionary<string, AssertionResult> { ["contains"] = new("contains", i % 2 == 0, i % 2, "reason with 'quotes' and $$") },
                null, 12.5 + i, 0.00012345m * i, 100 + i, 20 + i, i % 3 == 0, i % 4 == 0 ? null : $"brief-{i % 4}",
                new DateTimeOffset(2026, 11, 27, 3, 0, i, TimeSpan.Zero).AddTicks(1234560)),
            new EvalSample($"case-{i}", 1, null, null, null, new Dictionary<string, AssertionResult>(), text,
                null, null, null, null, false, null, null),
        }),
    ];

    [Fact]
    public async Task A_report_with_hostile_text_reads_back_exactly()
    {
        var samples = HostileSamples();
        var aggregates = RunAggregator.Aggregate(samples, 0.5);
        using var stream = new MemoryStream();

        await RunReportWriter.WriteAsync(stream, Run, aggregates, samples);
        stream.Position = 0;
        var (run, readAggregates, readSamples) = await RunReportReader.ReadAsync(stream);

        // JsonObject compares by reference: compare the rest with one shared instance, the JSON by content.
        JsonObject none = [];
        Assert.Equal(Run with { Params = none, Metadata = none }, run with { Params = none, Metadata = none });
        Assert.True(JsonNode.DeepEquals(Run.Params, run.Params));
        Assert.True(JsonNode.DeepEquals(Run.Metadata, run.Metadata));
        Assert.Equal(aggregates.ToJson(), readAggregates.ToJson());
        Assert.Equal(samples.Count, readSamples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            AssertSame(samples[i], readSamples[i]);
        }
    }

    [Fact]
    public async Task The_report_has_the_documented_shape_and_flags_escaped_samples()
    {
        EvalSample[] samples = [Judged("plain", 0, true, 1), Judged("hostile", 0, true, 1) with { Output = "nul\0" }, Errored("err", 0) with { Error = "lone \uD800" }];
        using var stream = new MemoryStream();

        await RunReportWriter.WriteAsync(stream, Run, RunAggregator.Aggregate(samples, 0.5), samples);
        using var document = JsonDocument.Parse(stream.ToArray());

        var root = document.RootElement;
        Assert.Equal("sitecraft-eval-run-report/1", root.GetProperty("format").GetString());
        Assert.Equal("site.seo.meta", root.GetProperty("run").GetProperty("use_case").GetString());
        Assert.Equal(3, root.GetProperty("aggregates").GetProperty("sample_count").GetInt32());
        var written = root.GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal([false, true, true], written.Select(s => s.GetProperty("escaped").GetBoolean()));
        Assert.Equal(@"nul\0", written[1].GetProperty("output").GetString());
        Assert.Equal(@"lone \uD800", written[2].GetProperty("error").GetString());
        Assert.Equal(
            ["case_id", "repeat", "cluster_id", "output", "error", "escaped", "passed", "score", "scores", "latency_ms", "cost_usd", "input_tokens", "output_tokens", "cached", "created_at"],
            written[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Ten_thousand_samples_round_trip_through_a_streamed_report()
    {
        // Speed is measured by the benchmark (docs/benchmarks.md, "Evals"), not here.
        var samples = Enumerable.Range(0, 10_000).Select(LongSample).ToList();
        var aggregates = RunAggregator.Aggregate(samples, 0.5);
        using var stream = new MemoryStream();

        await RunReportWriter.WriteAsync(stream, Run, aggregates, samples);
        stream.Position = 0;
        var read = await RunReportReader.ReadAsync(stream);

        Assert.Equal(10_000, read.Samples.Count);
        AssertSame(samples[0], read.Samples[0]);
        AssertSame(samples[9_999], read.Samples[9_999]);
    }

    private static EvalSample LongSample(int i)
    {
        var sample = Judged($"case-{i / 2}", i % 2, i % 3 != 0, (i % 10) / 10.0, latencyMs: i, scores: Scores(("is-json", true), ("length", i % 3 != 0)));
        return sample with { Output = new string('o', 500) };
    }

    [Fact]
    public async Task A_file_of_another_format_is_refused()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"format\":\"something-else/2\"}"));

        var error = await Assert.ThrowsAsync<JsonException>(() => RunReportReader.ReadAsync(stream));

        Assert.Contains("something-else/2", error.Message, StringComparison.Ordinal);
    }
}

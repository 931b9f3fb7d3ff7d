using SiteCraft.Ml.Evals.Core.Runs;
using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>Builds samples for the run tests: judged ones with a score, errored ones without.</summary>
internal static class EvalSamples
{
    public static EvalSample Judged(
        string caseId,
        int repeat,
        bool passed,
        double score,
        double? latencyMs = 100,
        decimal? costUsd = 0.01m,
        bool cached = false,
        string? clusterId = null,
        IReadOnlyDictionary<string, AssertionResult>? scores = null) =>
        new(caseId, repeat, $"output of {caseId}/{repeat}", passed, score, scores ?? new Dictionary<string, AssertionResult>(),
            null, latencyMs, costUsd, 10, 5, cached, clusterId);

    public static EvalSample Errored(string caseId, int repeat, double? latencyMs = null) =>
        new(caseId, repeat, null, null, null, new Dictionary<string, AssertionResult>(), "UNAVAILABLE: every candidate failed",
            latencyMs, null, null, null, false);

    /// <summary>Outputs that break naive storage: quotes, backslashes, NUL, dollar quotes, lone surrogates, 100 KB.</summary>
    public static readonly string[] HostileTexts =
    [
        "it's \"quoted\"",
        @"back\slash \\ and \0 and \u0041",
        "nul\0inside",
        "$$ dollar $$",
        "$tag$ closes $tag$",
        "'; drop table x; --",
        "emoji 😀 and 👍🏽",
        "lines\nand\r\nmore\ttabs",
        "lone high \uD800 here",
        "lone low \uDC00 there",
        "reversed \uDC00\uD800 pair",
        new string('x', 100 * 1024) + "é",
        "",
    ];

    /// <summary>Asserts two samples are equal field by field, scores by content.</summary>
    public static void AssertSame(EvalSample expected, EvalSample actual)
    {
        var none = new Dictionary<string, AssertionResult>();
        Assert.Equal(expected with { Scores = none }, actual with { Scores = none });
        Assert.Equal(expected.Scores.OrderBy(s => s.Key, StringComparer.Ordinal), actual.Scores.OrderBy(s => s.Key, StringComparer.Ordinal));
    }

    public static Dictionary<string, AssertionResult> Scores(params (string Name, bool Passed)[] results) =>
        results.ToDictionary(r => r.Name, r => new AssertionResult(r.Name, r.Passed, r.Passed ? 1 : 0, r.Passed ? "ok" : "failed"));
}

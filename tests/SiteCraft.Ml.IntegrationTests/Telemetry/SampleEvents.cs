using SiteCraft.Ml.Inference.Telemetry;

namespace SiteCraft.Ml.IntegrationTests.Telemetry;

/// <summary>Generation events as the inference service records them, in recording order.</summary>
public static class SampleEvents
{
    // Whole milliseconds, because Postgres keeps microseconds and a round trip must compare equal.
    private static readonly DateTimeOffset s_start = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    /// <summary>
    /// <paramref name="generations"/> generations of <paramref name="attempts"/> attempts each (the
    /// later ones fallbacks), attempt by attempt; every other generation has every column filled.
    /// </summary>
    public static List<GenerationEvent> Generations(int generations, short attempts = 2)
    {
        var events = new List<GenerationEvent>(generations * attempts);
        for (var g = 0; g < generations; g++)
        {
            var generationId = Guid.NewGuid();
            for (short attempt = 1; attempt <= attempts; attempt++)
            {
                var index = events.Count;
                events.Add(g % 2 == 0 ? Full(index, generationId, attempt) : Minimal(index, generationId, attempt));
            }
        }

        return events;
    }

    /// <summary>Only the columns the table requires; every nullable one null.</summary>
    public static GenerationEvent Minimal(int index, Guid? generationId = null, short attempt = 1) => new()
    {
        EventId = Guid.NewGuid(),
        GenerationId = generationId ?? Guid.NewGuid(),
        Attempt = attempt,
        Environment = "test",
        UseCase = "site.section.copy",
        Provider = "anthropic",
        Status = "error",
        StartedAt = s_start.AddMilliseconds(index),
    };

    /// <summary>Every column set, bodies with consent, jsonb in Postgres' own text form so it reads back equal.</summary>
    public static GenerationEvent Full(int index, Guid? generationId = null, short attempt = 1)
    {
        const string prompt = "Write a landing page for a bakery in Lyon — « pain au levain ».";
        var completion = $"{{\"title\": \"Boulangerie {index}\"}}";
        var startedAt = s_start.AddMinutes(index);
        return new GenerationEvent
        {
            EventId = Guid.NewGuid(),
            GenerationId = generationId ?? Guid.NewGuid(),
            RequestId = $"req-{index}",
            Attempt = attempt,
            Environment = "test",
            TenantId = "tenant-7",
            SiteId = $"site-{index % 5}",
            UserId = "user-42",
            SessionId = "session-1",
            UseCase = "site.page.json",
            Provider = "openai",
            RequestModel = "gpt-5-mini",
            ResponseModel = "gpt-5-mini-2026-01-01",
            PolicyId = 3_000_000_000L + index,
            PolicyVersion = 4,
            Arm = attempt == 1 ? "canary" : "fallback",
            FallbackReason = attempt == 1 ? null : "timeout",
            Status = "ok",
            FinishReason = "stop",
            StartedAt = startedAt,
            FirstTokenAt = startedAt.AddMilliseconds(212.5),
            CompletedAt = startedAt.AddMilliseconds(1834),
            LatencyMs = 1834.25,
            TtftMs = 212.5,
            OverheadMs = -0.125,
            InputTokens = 812,
            OutputTokens = 1290 + index,
            CostUsd = 0.00123456m + index,
            Params = """{"max_tokens": 2048, "temperature": 0.2}""",
            Metadata = """{"tags": ["a", "b"], "nested": {"k": null}, "region": "eu"}""",
            Prompt = prompt,
            Completion = completion,
            PromptSha256 = BodyHash.Sha256Hex(prompt),
            CompletionSha256 = BodyHash.Sha256Hex(completion),
            Consent = true,
        };
    }
}

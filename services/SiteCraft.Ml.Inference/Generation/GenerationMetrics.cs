using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SiteCraft.Ml.Inference.Generation;

/// <summary>
/// Server-side generation metrics with the GenAI semantic conventions; our own names under
/// "sitecraft.". Tags never carry tenant, site or user ids (unbounded cardinality, personal data).
/// </summary>
public sealed class GenerationMetrics
{
    public const string MeterName = "SiteCraft.Ml.Inference";

    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _rollbacks;
    private readonly Counter<long> _rejected;

    public GenerationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requestDuration = meter.CreateHistogram<double>(
            "gen_ai.server.request.duration", "s", "Time from receiving a generation request to its last byte.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _timeToFirstToken = meter.CreateHistogram<double>(
            "gen_ai.server.time_to_first_token", "s", "Time from receiving a request to its first output token.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _attempts = meter.CreateCounter<long>("sitecraft.generation.attempts", "{attempt}", "Provider attempts by outcome.");
        _fallbacks = meter.CreateCounter<long>("sitecraft.generation.fallbacks", "{fallback}", "Attempts made because an earlier candidate failed.");
        _rollbacks = meter.CreateCounter<long>("sitecraft.routing.rollbacks", "{rollback}", "Policy rollbacks, automatic or by hand.");
        _rejected = meter.CreateCounter<long>("sitecraft.generation.rejected", "{request}", "Requests refused before any provider call, by gRPC status.");
    }

    public void RequestCompleted(TimeSpan duration, string useCase, string? provider, string? model, string arm, string? errorType, bool streaming)
    {
        var tags = new TagList
        {
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.provider.name", provider },
            { "gen_ai.request.model", model },
            { "sitecraft.use_case", useCase },
            { "sitecraft.route.arm", arm },
            { "sitecraft.streaming", streaming },
        };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _requestDuration.Record(duration.TotalSeconds, tags);
    }

    public void FirstToken(TimeSpan sinceRequest, string useCase, string provider, string model, string arm) =>
        _timeToFirstToken.Record(sinceRequest.TotalSeconds, new TagList
        {
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.provider.name", provider },
            { "gen_ai.request.model", model },
            { "sitecraft.use_case", useCase },
            { "sitecraft.route.arm", arm },
        });

    public void Attempt(string provider, string model, string arm, string status, string? errorType)
    {
        _attempts.Add(1, new TagList
        {
            { "gen_ai.provider.name", provider },
            { "gen_ai.request.model", model },
            { "sitecraft.route.arm", arm },
            { "sitecraft.attempt.status", status },
            { "error.type", errorType },
        });
        if (arm == "fallback")
        {
            _fallbacks.Add(1, new TagList { { "gen_ai.provider.name", provider }, { "gen_ai.request.model", model } });
        }
    }

    public void Rollback(string environment, string useCase, bool automatic) =>
        _rollbacks.Add(1, new TagList { { "sitecraft.environment", environment }, { "sitecraft.use_case", useCase }, { "sitecraft.rollback.automatic", automatic } });

    public void Rejected(string status, string? useCase) =>
        _rejected.Add(1, new TagList { { "rpc.grpc.status_code", status }, { "sitecraft.use_case", useCase } });

    /// <summary>Adds the route to the gRPC SERVER span of the current call.</summary>
    public static void TagServerSpan(string useCase, string provider, string model, string arm, int? policyVersion)
    {
        if (Activity.Current is not { IsAllDataRequested: true } activity)
        {
            return;
        }

        activity.SetTag("gen_ai.operation.name", "chat");
        activity.SetTag("gen_ai.provider.name", provider);
        activity.SetTag("gen_ai.request.model", model);
        activity.SetTag("sitecraft.use_case", useCase);
        activity.SetTag("sitecraft.route.arm", arm);
        if (policyVersion is int version)
        {
            activity.SetTag("sitecraft.policy.version", version);
        }
    }
}

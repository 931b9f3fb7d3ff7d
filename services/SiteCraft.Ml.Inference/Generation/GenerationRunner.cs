using System.Diagnostics;
using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SiteCraft.Ml.Inference.Providers;
using SiteCraft.Ml.Inference.Routing;
using SiteCraft.Ml.Inference.Telemetry;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Inference.Generation;

/// <summary>
/// Runs one generation along its route: the sticky arm first, then the fallback chain on retryable
/// failures, each attempt inside its own timeout and the caller's deadline, each recorded as one
/// ai_generation_events row. Streams fall back only until the first token has been sent.
/// </summary>
public sealed partial class GenerationRunner(
    RoutingCache cache,
    RoutePlanner planner,
    ProviderRegistry registry,
    IGenerationEventSink events,
    GenerationMetrics metrics,
    RetryBudget retryBudget,
    IOptions<InferenceOptions> options,
    TimeProvider time,
    ILogger<GenerationRunner> logger)
{
    private readonly EnvironmentPatterns _capture = new(options.Value.CaptureBodies);

    public GenerationCall Begin(ValidatedRequest validated) =>
        new(validated, _capture.Matches(validated.Environment), time.GetUtcNow(), Stopwatch.GetTimestamp());

    public RoutePlan Plan(GenerationCall call)
    {
        var request = call.Request;
        var routing = request.Routing;
        RouteTarget? pinned = routing?.Pinned is { Provider.Length: > 0 } p ? new RouteTarget(p.Provider, p.Model) : null;
        var routeRequest = new RouteRequest(
            call.Validated.Environment,
            call.Validated.UseCase.Id,
            NullIfEmpty(request.TenantId),
            NullIfEmpty(request.SiteId),
            NullIfEmpty(request.SessionId) ?? NullIfEmpty(request.UserId) ?? NullIfEmpty(request.RequestId) ?? call.GenerationId.ToString(),
            pinned,
            routing is null || !routing.HasAllowFallback || routing.AllowFallback,
            routing is { HasMaxCostUsd: true } ? routing.MaxCostUsd : null,
            call.EstimatedInputTokens,
            call.Validated.MaxTokens);
        return planner.Plan(cache.Current, routeRequest);
    }

    public async Task<GenerateResponse> GenerateAsync(GenerationCall call, DateTime deadline, CancellationToken cancellationToken)
    {
        var plan = Plan(call);
        ThrowIfUnroutable(call, plan);
        retryBudget.RecordRequest();
        var failures = new List<string>();
        ProviderFailure? lastFailure = null;
        var attemptNumber = 0;
        foreach (var planned in plan.Attempts)
        {
            if (!TryStartAttempt(call, plan, planned, attemptNumber, failures, out var breaker))
            {
                continue;
            }

            attemptNumber++;
            var client = registry.ClientFor(planned.Provider, planned.Target.Model);
            var timeout = AttemptTimeout(plan, deadline);
            using var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptCancellation.CancelAfter(timeout);
            var attemptStart = Stopwatch.GetTimestamp();
            try
            {
                var response = await client.GetResponseAsync(call.Messages, call.OptionsFor(planned.Target.Model), attemptCancellation.Token);
                var end = Stopwatch.GetTimestamp();
                call.ProviderTime += Stopwatch.GetElapsedTime(attemptStart, end);
                breaker.RecordSuccess();
                var text = response.Text;
                var usage = UsageOf(response.Usage);
                var cost = planned.Model.CostUsd(usage.InputTokens, usage.OutputTokens);
                var finishReason = response.FinishReason?.Value;
                var responseModel = response.ModelId ?? planned.Target.Model;
                var total = call.Elapsed(end);
                var overhead = total - call.ProviderTime;
                Record(call, plan, planned, attemptNumber, lastFailure, "ok", null, finishReason, responseModel,
                    attemptStart, firstToken: end, end, usage, cost, text, overhead);
                GenerationMetrics.TagServerSpan(call.Validated.UseCase.Id, planned.Target.Provider, planned.Target.Model, planned.Arm, plan.Policy?.Policy.Version);
                metrics.RequestCompleted(total, call.Validated.UseCase.Id, planned.Target.Provider, planned.Target.Model, planned.Arm, null, streaming: false);
                return new GenerateResponse
                {
                    GenerationId = call.GenerationId.ToString(),
                    Provider = planned.Target.Provider,
                    Model = responseModel,
                    PolicyVersion = plan.Policy?.Policy.Version ?? 0,
                    Arm = ArmOf(planned.Arm),
                    Attempt = attemptNumber,
                    Text = text,
                    FinishReason = finishReason ?? string.Empty,
                    Usage = usage,
                    CostUsd = (double)cost,
                    Latency = new Latency
                    {
                        Total = Duration.FromTimeSpan(total),
                        TimeToFirstToken = Duration.FromTimeSpan(total),
                        Overhead = Duration.FromTimeSpan(overhead),
                    },
                };
            }
            catch (Exception exception) when (exception is not RpcException)
            {
                var end = Stopwatch.GetTimestamp();
                call.ProviderTime += Stopwatch.GetElapsedTime(attemptStart, end);
                if (cancellationToken.IsCancellationRequested)
                {
                    breaker.Release();
                    Record(call, plan, planned, attemptNumber, lastFailure, "cancelled", CallerGone(deadline), null, null,
                        attemptStart, null, end, null, null, null, null);
                    throw CallerGoneError(deadline, call);
                }

                var failure = exception is OperationCanceledException ? ProviderFailure.Timeout(timeout) : ProviderFailure.From(exception);
                Settle(breaker, failure);
                Record(call, plan, planned, attemptNumber, lastFailure, "error", failure.ErrorType, null, null,
                    attemptStart, null, end, null, null, null, null);
                failures.Add($"attempt {attemptNumber} {planned.Target.Provider}/{planned.Target.Model} ({planned.Arm}): {failure.ErrorType}: {Shorten(failure.Message)}");
                LogAttemptFailed(logger, planned.Target.Provider, planned.Target.Model, attemptNumber, failure.ErrorType);
                lastFailure = failure;
                if (!failure.Retryable)
                {
                    break;
                }
            }
        }

        throw Exhausted(call, plan, failures, lastFailure);
    }

    public async Task StreamAsync(GenerationCall call, IServerStreamWriter<GenerateEvent> stream, DateTime deadline, CancellationToken cancellationToken)
    {
        var plan = Plan(call);
        ThrowIfUnroutable(call, plan);
        retryBudget.RecordRequest();
        var failures = new List<string>();
        ProviderFailure? lastFailure = null;
        var attemptNumber = 0;
        foreach (var planned in plan.Attempts)
        {
            if (!TryStartAttempt(call, plan, planned, attemptNumber, failures, out var breaker))
            {
                continue;
            }

            attemptNumber++;
            var client = registry.ClientFor(planned.Provider, planned.Target.Model);
            var timeout = AttemptTimeout(plan, deadline);
            using var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptCancellation.CancelAfter(timeout);
            var attemptStart = Stopwatch.GetTimestamp();
            long? firstToken = null;
            var text = new StringBuilder();
            UsageDetails? usage = null;
            string? finishReason = null;
            string? responseModel = null;
            try
            {
                await foreach (var update in client.GetStreamingResponseAsync(call.Messages, call.OptionsFor(planned.Target.Model), attemptCancellation.Token))
                {
                    foreach (var content in update.Contents)
                    {
                        if (content is UsageContent usageContent)
                        {
                            usage = usageContent.Details;
                        }
                    }

                    finishReason = update.FinishReason?.Value ?? finishReason;
                    responseModel = update.ModelId ?? responseModel;
                    var delta = update.Text;
                    if (delta.Length == 0)
                    {
                        continue;
                    }

                    if (firstToken is null)
                    {
                        firstToken = Stopwatch.GetTimestamp();
                        // From here on the caller's deadline alone bounds the stream: the attempt
                        // timeout guards time to first token, not the length of the answer.
                        attemptCancellation.CancelAfter(Timeout.InfiniteTimeSpan);
                        metrics.FirstToken(call.Elapsed(firstToken.Value), call.Validated.UseCase.Id, planned.Target.Provider, planned.Target.Model, planned.Arm);
                        await stream.WriteAsync(StartedEvent(call, plan, planned, attemptNumber, responseModel), cancellationToken);
                    }

                    text.Append(delta);
                    await stream.WriteAsync(new GenerateEvent { Delta = new Delta { Text = delta } }, cancellationToken);
                }

                var end = Stopwatch.GetTimestamp();
                call.ProviderTime += Stopwatch.GetElapsedTime(attemptStart, end);
                breaker.RecordSuccess();
                var tokens = UsageOf(usage);
                var cost = planned.Model.CostUsd(tokens.InputTokens, tokens.OutputTokens);
                var total = call.Elapsed(end);
                var overhead = total - call.ProviderTime;
                var started = firstToken ?? end;
                Record(call, plan, planned, attemptNumber, lastFailure, "ok", null, finishReason, responseModel ?? planned.Target.Model,
                    attemptStart, started, end, tokens, cost, text.ToString(), overhead);
                if (firstToken is null)
                {
                    // An empty answer still tells the caller who answered.
                    await stream.WriteAsync(StartedEvent(call, plan, planned, attemptNumber, responseModel), cancellationToken);
                }

                await stream.WriteAsync(new GenerateEvent
                {
                    Completed = new Completed
                    {
                        FinishReason = finishReason ?? string.Empty,
                        Usage = tokens,
                        CostUsd = (double)cost,
                        ResponseModel = responseModel ?? planned.Target.Model,
                        Latency = new Latency
                        {
                            Total = Duration.FromTimeSpan(total),
                            TimeToFirstToken = Duration.FromTimeSpan(call.Elapsed(started)),
                            Overhead = Duration.FromTimeSpan(overhead),
                        },
                    },
                }, cancellationToken);
                GenerationMetrics.TagServerSpan(call.Validated.UseCase.Id, planned.Target.Provider, planned.Target.Model, planned.Arm, plan.Policy?.Policy.Version);
                metrics.RequestCompleted(total, call.Validated.UseCase.Id, planned.Target.Provider, planned.Target.Model, planned.Arm, null, streaming: true);
                return;
            }
            catch (Exception exception) when (exception is not RpcException)
            {
                var end = Stopwatch.GetTimestamp();
                call.ProviderTime += Stopwatch.GetElapsedTime(attemptStart, end);
                if (cancellationToken.IsCancellationRequested)
                {
                    breaker.Release();
                    Record(call, plan, planned, attemptNumber, lastFailure, "cancelled", CallerGone(deadline), finishReason, responseModel,
                        attemptStart, firstToken, end, usage is null ? null : UsageOf(usage), null, firstToken is null ? null : text.ToString(), null);
                    throw CallerGoneError(deadline, call);
                }

                var failure = exception is OperationCanceledException ? ProviderFailure.Timeout(timeout) : ProviderFailure.From(exception);
                Settle(breaker, failure);
                Record(call, plan, planned, attemptNumber, lastFailure, "error", failure.ErrorType, finishReason, responseModel,
                    attemptStart, firstToken, end, usage is null ? null : UsageOf(usage), null, firstToken is null ? null : text.ToString(), null);
                LogAttemptFailed(logger, planned.Target.Provider, planned.Target.Model, attemptNumber, failure.ErrorType);
                if (firstToken is not null)
                {
                    // Tokens already reached the caller: another provider's answer cannot be spliced on.
                    await stream.WriteAsync(new GenerateEvent
                    {
                        Error = new Error
                        {
                            Code = nameof(StatusCode.Unavailable).ToUpperInvariant(),
                            Retryable = true,
                            Message = $"{planned.Target.Provider}/{planned.Target.Model} failed after the first token ({failure.ErrorType}: {Shorten(failure.Message)}); the partial answer is incomplete",
                        },
                    }, cancellationToken);
                    metrics.RequestCompleted(call.Elapsed(end), call.Validated.UseCase.Id, planned.Target.Provider, planned.Target.Model, planned.Arm, failure.ErrorType, streaming: true);
                    return;
                }

                failures.Add($"attempt {attemptNumber} {planned.Target.Provider}/{planned.Target.Model} ({planned.Arm}): {failure.ErrorType}: {Shorten(failure.Message)}");
                lastFailure = failure;
                if (!failure.Retryable)
                {
                    break;
                }
            }
        }

        throw Exhausted(call, plan, failures, lastFailure);
    }

    private static GenerateEvent StartedEvent(GenerationCall call, RoutePlan plan, PlannedAttempt planned, int attempt, string? responseModel) => new()
    {
        Started = new Started
        {
            GenerationId = call.GenerationId.ToString(),
            Provider = planned.Target.Provider,
            Model = responseModel ?? planned.Target.Model,
            PolicyVersion = plan.Policy?.Policy.Version ?? 0,
            Arm = ArmOf(planned.Arm),
            Attempt = attempt,
        },
    };

    private bool TryStartAttempt(GenerationCall call, RoutePlan plan, PlannedAttempt planned, int attemptsSoFar, List<string> failures, out CircuitBreaker breaker)
    {
        var settings = plan.Policy?.Policy.Settings ?? PolicySettings.Default;
        breaker = registry.BreakerFor(call.Validated.Environment, planned.Target.Provider, settings.Breaker);
        if (attemptsSoFar > 0 && !retryBudget.TryWithdraw())
        {
            failures.Add($"{planned.Target.Provider}/{planned.Target.Model} ({planned.Arm}): not tried, the retry budget is spent");
            return false;
        }

        if (!breaker.TryAcquire())
        {
            failures.Add($"{planned.Target.Provider}/{planned.Target.Model} ({planned.Arm}): not tried, its circuit breaker is {breaker.State.ToString().ToLowerInvariant()}");
            return false;
        }

        return true;
    }

    private static void Settle(CircuitBreaker breaker, ProviderFailure failure)
    {
        if (failure.ProviderFault)
        {
            breaker.RecordFailure();
        }
        else
        {
            // The provider answered; the request was the problem.
            breaker.RecordSuccess();
        }
    }

    private TimeSpan AttemptTimeout(RoutePlan plan, DateTime deadline)
    {
        var timeout = (plan.Policy?.Policy.Settings ?? PolicySettings.Default).AttemptTimeout;
        if (deadline != DateTime.MaxValue)
        {
            var remaining = deadline - time.GetUtcNow().UtcDateTime;
            if (remaining < timeout)
            {
                timeout = remaining > TimeSpan.FromMilliseconds(1) ? remaining : TimeSpan.FromMilliseconds(1);
            }
        }

        return timeout;
    }

    private void ThrowIfUnroutable(GenerationCall call, RoutePlan plan)
    {
        if (plan.Attempts.Count > 0)
        {
            return;
        }

        var environment = call.Validated.Environment;
        var useCase = call.Validated.UseCase.Id;
        RpcException error;
        if (plan.Policy is null && call.Request.Routing?.Pinned is null)
        {
            error = RpcErrors.Of(StatusCode.FailedPrecondition, $"no active routing policy for {environment}/{useCase}");
        }
        else if (plan.Skipped.Count > 0 && plan.Skipped.All(s => s.Kind == SkipKind.NoPassingGate))
        {
            error = RpcErrors.Of(StatusCode.FailedPrecondition,
                $"no model with a passing eval gate is allowed for {useCase} in {environment}: {string.Join("; ", plan.Skipped.Select(s => s.Reason))}");
        }
        else if (plan.Skipped.Count > 0 && plan.Skipped.All(s => s.Kind == SkipKind.OverCost))
        {
            error = RpcErrors.Of(StatusCode.ResourceExhausted,
                $"every candidate is over routing.max_cost_usd: {string.Join("; ", plan.Skipped.Select(s => s.Reason))}");
        }
        else
        {
            error = RpcErrors.Of(StatusCode.Unavailable,
                $"no provider can serve {useCase} in {environment}: {string.Join("; ", plan.Skipped.Select(s => s.Reason))}");
        }

        metrics.Rejected(error.StatusCode.ToString(), useCase);
        throw error;
    }

    private RpcException Exhausted(GenerationCall call, RoutePlan plan, List<string> failures, ProviderFailure? last)
    {
        var skipped = plan.Skipped.Select(s => $"skipped {s.Target.Provider}/{s.Target.Model} ({s.Arm}): {s.Reason}");
        var detail = string.Join("; ", failures.Concat(skipped));
        var code = last switch
        {
            { Retryable: false, HttpStatus: 400 or 413 or 422 } => StatusCode.InvalidArgument,
            // Every candidate was busy (the last one refused at its queue limit): the caller should back off.
            { ErrorType: "engine_busy" } => StatusCode.ResourceExhausted,
            _ => StatusCode.Unavailable,
        };
        metrics.RequestCompleted(call.Elapsed(Stopwatch.GetTimestamp()), call.Validated.UseCase.Id, null, null, "none", last?.ErrorType ?? "unroutable", streaming: false);
        return RpcErrors.Of(code, code switch
        {
            StatusCode.InvalidArgument => $"the provider refused the request: {detail}",
            StatusCode.ResourceExhausted => $"every candidate provider is at capacity; retry with backoff: {detail}",
            _ => $"every candidate provider failed: {detail}",
        });
    }

    private string CallerGone(DateTime deadline) =>
        deadline != DateTime.MaxValue && time.GetUtcNow().UtcDateTime >= deadline ? "deadline_exceeded" : "cancelled";

    private RpcException CallerGoneError(DateTime deadline, GenerationCall call) =>
        CallerGone(deadline) == "deadline_exceeded"
            ? RpcErrors.Of(StatusCode.DeadlineExceeded, $"the deadline passed after {call.Elapsed(Stopwatch.GetTimestamp()).TotalMilliseconds:0} ms")
            : RpcErrors.Of(StatusCode.Cancelled, "the caller cancelled");

    private void Record(
        GenerationCall call,
        RoutePlan plan,
        PlannedAttempt planned,
        int attempt,
        ProviderFailure? previousFailure,
        string status,
        string? errorType,
        string? finishReason,
        string? responseModel,
        long attemptStart,
        long? firstToken,
        long end,
        Usage? usage,
        decimal? cost,
        string? completion,
        TimeSpan? overhead)
    {
        var request = call.Request;
        var latency = Stopwatch.GetElapsedTime(attemptStart, end);
        var recorded = events.TryRecord(new GenerationEvent
        {
            EventId = Guid.CreateVersion7(),
            GenerationId = call.GenerationId,
            RequestId = NullIfEmpty(request.RequestId),
            Attempt = (short)attempt,
            Environment = call.Validated.Environment,
            TenantId = NullIfEmpty(request.TenantId),
            SiteId = NullIfEmpty(request.SiteId),
            UserId = NullIfEmpty(request.UserId),
            SessionId = NullIfEmpty(request.SessionId),
            UseCase = call.Validated.UseCase.Id,
            Provider = planned.Target.Provider,
            RequestModel = planned.Target.Model,
            ResponseModel = responseModel,
            PolicyId = planned.Arm == "pinned" ? null : plan.Policy?.Policy.PolicyId,
            PolicyVersion = planned.Arm == "pinned" ? null : plan.Policy?.Policy.Version,
            Arm = planned.Arm,
            FallbackReason = attempt > 1 ? previousFailure?.ErrorType : null,
            Status = status,
            ErrorType = errorType,
            FinishReason = finishReason,
            StartedAt = call.At(attemptStart),
            FirstTokenAt = firstToken is long first ? call.At(first) : null,
            CompletedAt = call.At(end),
            LatencyMs = latency.TotalMilliseconds,
            TtftMs = firstToken is long token ? Stopwatch.GetElapsedTime(attemptStart, token).TotalMilliseconds : null,
            OverheadMs = overhead?.TotalMilliseconds,
            InputTokens = usage?.InputTokens,
            OutputTokens = usage?.OutputTokens,
            CostUsd = cost,
            Params = call.Params,
            Metadata = call.Metadata,
            Prompt = call.StoreBodies ? call.PromptText : null,
            Completion = call.StoreBodies ? completion : null,
            PromptSha256 = call.PromptSha256,
            CompletionSha256 = completion is null ? null : BodyHash.Sha256Hex(completion),
            Consent = call.Consent,
        });
        if (!recorded)
        {
            LogEventDropped(logger, call.GenerationId, attempt);
        }

        metrics.Attempt(planned.Target.Provider, planned.Target.Model, planned.Arm, status, errorType);
    }

    private static Usage UsageOf(UsageDetails? details) => new()
    {
        InputTokens = (int)Math.Min(int.MaxValue, details?.InputTokenCount ?? 0),
        OutputTokens = (int)Math.Min(int.MaxValue, details?.OutputTokenCount ?? 0),
    };

    private static V1.Arm ArmOf(string arm) => arm switch
    {
        "canary" => V1.Arm.Canary,
        "fallback" => V1.Arm.Fallback,
        "pinned" => V1.Arm.Pinned,
        _ => V1.Arm.Stable,
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static string Shorten(string message) =>
        message.Length <= 300 ? message : string.Create(CultureInfo.InvariantCulture, $"{message[..300]}…");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt {Attempt} on {Provider}/{Model} failed: {ErrorType}")]
    private static partial void LogAttemptFailed(ILogger logger, string provider, string model, int attempt, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry queue full: the event of generation {GenerationId} attempt {Attempt} was dropped")]
    private static partial void LogEventDropped(ILogger logger, Guid generationId, int attempt);
}

using System.ClientModel;
using System.Net;
using System.Net.Sockets;
using SiteCraft.Ml.Inference.Providers.Local;
using SiteCraft.Ml.LocalModel.Engine;
using SiteCraft.Ml.LocalModel.Serving;

namespace SiteCraft.Ml.Inference.Providers;

/// <summary>
/// What went wrong with one provider attempt, and what the router may do about it.
/// </summary>
/// <remarks>
/// ErrorType is the short stable name stored in ai_generation_events.error_type. Retryable means
/// another provider may succeed, so the router falls back (timeout, 429, 5xx, refused connection,
/// broken stream). ProviderFault counts against the provider's circuit breaker.
/// </remarks>
public sealed record ProviderFailure(string ErrorType, bool Retryable, bool ProviderFault, int? HttpStatus, string Message)
{
    public static ProviderFailure Timeout(TimeSpan after) =>
        new("timeout", Retryable: true, ProviderFault: true, null, $"no answer within {after.TotalMilliseconds:0} ms");

    public static ProviderFailure CircuitOpen(string provider) =>
        new("circuit_open", Retryable: true, ProviderFault: false, null, $"circuit breaker for {provider} is open");

    /// <summary>Classifies an exception thrown by a provider's chat client.</summary>
    public static ProviderFailure From(Exception exception)
    {
        var status = HttpStatusOf(exception);
        if (status is int code)
        {
            return FromStatus(code, exception.Message);
        }

        return exception switch
        {
            // The local model: refused prompts would be refused by any attempt; a full engine or a missing artifact is the provider's state.
            PromptTooLongException => new("context_length", Retryable: false, ProviderFault: false, 400, exception.Message),
            EngineBusyException => new("engine_busy", Retryable: true, ProviderFault: false, 429, exception.Message),
            LocalModelUnavailableException => new("model_unavailable", Retryable: true, ProviderFault: true, null, exception.Message),
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } =>
                new("connection", true, true, null, exception.Message),
            HttpRequestException or IOException or SocketException =>
                new("network", true, true, null, exception.Message),
            _ when exception.InnerException is { } inner && inner is HttpRequestException or IOException or SocketException => From(inner),
            _ => new("provider_error", true, true, null, $"{exception.GetType().Name}: {exception.Message}"),
        };
    }

    public static ProviderFailure FromStatus(int status, string message) => status switch
    {
        429 => new("rate_limited", true, true, status, message),
        408 => new("timeout", true, true, status, message),
        >= 500 => new("http_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture), true, true, status, message),
        // A key the provider refuses, or a model it does not have: this provider is unusable, another may work.
        401 or 403 or 404 => new("http_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture), true, true, status, message),
        // The request itself was refused; another provider would refuse it too.
        _ => new("http_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture), false, false, status, message),
    };

    private static int? HttpStatusOf(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ClientResultException { Status: > 0 } client:
                    return client.Status;
                case HttpRequestException { StatusCode: HttpStatusCode code }:
                    return (int)code;
                case Anthropic.Exceptions.AnthropicApiException anthropic:
                    return (int)anthropic.StatusCode;
            }
        }

        return null;
    }
}

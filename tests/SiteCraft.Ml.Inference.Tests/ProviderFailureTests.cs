using System.ClientModel;
using System.Net;
using System.Net.Sockets;
using SiteCraft.Ml.Inference.Providers;
using SiteCraft.Ml.Inference.Providers.Local;
using SiteCraft.Ml.LocalModel.Engine;
using SiteCraft.Ml.LocalModel.Serving;

namespace SiteCraft.Ml.Inference.Tests;

public sealed class ProviderFailureTests
{
    [Theory]
    [InlineData(429, "rate_limited", true, true)]
    [InlineData(500, "http_500", true, true)]
    [InlineData(503, "http_503", true, true)]
    [InlineData(408, "timeout", true, true)]
    [InlineData(401, "http_401", true, true)]
    [InlineData(400, "http_400", false, false)]
    [InlineData(422, "http_422", false, false)]
    public void An_http_status_decides_fallback_and_the_breaker(int status, string errorType, bool retryable, bool providerFault)
    {
        var failure = ProviderFailure.From(new HttpRequestException("boom", null, (HttpStatusCode)status));

        Assert.Equal((errorType, retryable, providerFault, status), (failure.ErrorType, failure.Retryable, failure.ProviderFault, failure.HttpStatus));
    }

    [Fact]
    public void The_local_model_refuses_a_prompt_longer_than_its_context_for_good()
    {
        var failure = ProviderFailure.From(new PromptTooLongException(700, 512));

        Assert.Equal(("context_length", false, false, 400), (failure.ErrorType, failure.Retryable, failure.ProviderFault, failure.HttpStatus));
        Assert.Contains("512 tokens", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_full_local_engine_is_retryable_elsewhere_and_not_a_provider_fault()
    {
        var failure = ProviderFailure.From(new EngineBusyException(2, 8));

        Assert.Equal(("engine_busy", true, false, 429), (failure.ErrorType, failure.Retryable, failure.ProviderFault, failure.HttpStatus));
    }

    [Fact]
    public void A_local_model_that_cannot_load_lets_the_router_fall_back()
    {
        var failure = ProviderFailure.From(new LocalModelUnavailableException("no active artifact"));

        Assert.Equal(("model_unavailable", true, true), (failure.ErrorType, failure.Retryable, failure.ProviderFault));
    }

    [Fact]
    public void A_refused_connection_is_retryable()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));

        var failure = ProviderFailure.From(refused);

        Assert.Equal(("connection", true), (failure.ErrorType, failure.Retryable));
    }

    [Fact]
    public void A_client_result_exception_is_classified_by_its_status()
    {
        var failure = ProviderFailure.From(new ClientResultException("Service Unavailable", null));

        // Without a response the SDK reports status 0: a transport failure, not a verdict from the provider.
        Assert.True(failure.Retryable);
        Assert.Null(failure.HttpStatus);
    }

    [Fact]
    public void A_broken_stream_is_retryable_and_counts_against_the_provider()
    {
        var failure = ProviderFailure.From(new IOException("The response ended prematurely."));

        Assert.Equal(("network", true, true), (failure.ErrorType, failure.Retryable, failure.ProviderFault));
    }
}

using System.Diagnostics;
using Anthropic;
using Anthropic.Exceptions;
using Microsoft.Extensions.AI;
using SiteCraft.Ml.FakeProviders;

namespace SiteCraft.Ml.Inference.Tests.FakeProviders;

/// <summary>The fake Anthropic server, driven by the real Anthropic SDK through IChatClient.</summary>
public sealed class AnthropicFakeProviderTests : IAsyncLifetime
{
    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAnthropicAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Echo_answers_the_last_user_message_with_stop_and_word_counts_as_usage()
    {
        using var client = ProviderClients.Anthropic(_server, "echo");

        var response = await client.GetResponseAsync(Conversation.FourTurns());

        Assert.Equal(Conversation.Echo, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("echo", response.ModelId);
        Assert.Equal(Conversation.InputWords, response.Usage?.InputTokenCount);
        Assert.Equal(Conversation.EchoWords, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task The_SDK_sends_its_key_as_a_bearer_token_which_the_server_accepts()
    {
        using var client = ProviderClients.Anthropic(_server, "echo");

        await client.GetResponseAsync("hi");

        Assert.Equal(ProviderClients.Key, _server.Requests.Single().ApiKey);
    }

    [Fact]
    public async Task Streaming_sends_one_text_delta_per_word_then_stop_and_usage()
    {
        using var client = ProviderClients.Anthropic(_server, "echo");

        var (updates, failure) = await ChatStreams.ReadAsync(client.GetStreamingResponseAsync(Conversation.FourTurns()));
        var response = updates.ToChatResponse();

        Assert.Null(failure);
        Assert.Equal(["echo:", " say", " something", " nice"], ChatStreams.Texts(updates));
        Assert.Equal(Conversation.Echo, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(Conversation.InputWords, response.Usage?.InputTokenCount);
        Assert.Equal(Conversation.EchoWords, response.Usage?.OutputTokenCount);
        Assert.True(_server.Requests.Single().Stream);
    }

    [Theory]
    [InlineData("status-500", 500, typeof(Anthropic5xxException))]
    [InlineData("status-503", 503, typeof(AnthropicServiceUnavailableException))]
    [InlineData("status-400", 400, typeof(AnthropicBadRequestException))]
    [InlineData("status-429", 429, typeof(AnthropicRateLimitException))]
    public async Task Status_model_surfaces_as_an_AnthropicApiException_with_that_status_after_one_request(string model, int status, Type exceptionType)
    {
        using var client = ProviderClients.Anthropic(_server, model);

        var error = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => client.GetResponseAsync("hi"));

        Assert.IsType(exceptionType, error);
        Assert.Equal(status, (int)error.StatusCode);
        Assert.Equal(1, _server.RequestsFor(model));
    }

    [Fact]
    public async Task Wrong_key_is_refused_with_AnthropicUnauthorizedException_401()
    {
        using var client = ProviderClients.Anthropic(_server, "echo", apiKey: "wrong-key");

        var error = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(401, (int)error.StatusCode);
        Assert.Equal("Invalid API key.", error.ApiMessage);
    }

    [Fact]
    public async Task Fail_after_2_streams_two_words_then_breaks_the_connection()
    {
        using var client = ProviderClients.Anthropic(_server, "fail-after-2");

        var (updates, failure) = await ChatStreams.ReadAsync(client.GetStreamingResponseAsync("one two three four"));

        Assert.Equal(["echo:", " one"], ChatStreams.Texts(updates));
        Assert.IsType<IOException>(failure);
    }

    [Fact]
    public async Task Delay_gives_way_when_the_caller_cancels()
    {
        using var client = ProviderClients.Anthropic(_server, "delay-3000");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("hi", cancellationToken: cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"cancelled after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_client_timeout_surfaces_as_TaskCanceledException_wrapping_TimeoutException()
    {
        using var client = ProviderClients.Anthropic(_server, "delay-3000", timeout: TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetResponseAsync("hi"));

        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task A_refused_connection_surfaces_as_AnthropicIOException_wrapping_HttpRequestException()
    {
        await _server.DisposeAsync();
        using var client = ProviderClients.Anthropic(_server, "echo");

        var error = await Assert.ThrowsAsync<AnthropicIOException>(() => client.GetResponseAsync("hi"));

        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task The_SDK_default_sends_a_failing_request_three_times_which_is_why_clients_turn_retries_off()
    {
        using var client = new AnthropicClient { BaseUrl = _server.BaseUrl.ToString(), ApiKey = ProviderClients.Key }.AsIChatClient("status-500");

        await Assert.ThrowsAsync<Anthropic5xxException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(3, _server.RequestsFor("status-500"));
    }
}

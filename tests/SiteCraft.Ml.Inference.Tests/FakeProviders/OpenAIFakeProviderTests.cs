using System.ClientModel;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using OpenAI;
using SiteCraft.Ml.FakeProviders;

namespace SiteCraft.Ml.Inference.Tests.FakeProviders;

/// <summary>The fake OpenAI server, driven by the real OpenAI SDK through IChatClient.</summary>
public sealed class OpenAIFakeProviderTests : IAsyncLifetime
{
    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartOpenAIAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Base_url_is_loopback_and_ends_in_v1()
    {
        Assert.Equal("127.0.0.1", _server.BaseUrl.Host);
        Assert.Equal("/v1", _server.BaseUrl.AbsolutePath);
    }

    [Fact]
    public async Task Echo_answers_the_last_user_message_with_stop_and_word_counts_as_usage()
    {
        using var client = ProviderClients.OpenAI(_server, "echo");

        var response = await client.GetResponseAsync(Conversation.FourTurns());

        Assert.Equal(Conversation.Echo, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("echo", response.ModelId);
        Assert.Equal(Conversation.InputWords, response.Usage?.InputTokenCount);
        Assert.Equal(Conversation.EchoWords, response.Usage?.OutputTokenCount);
        Assert.Equal(Conversation.InputWords + Conversation.EchoWords, response.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task Streaming_sends_one_update_per_word_then_stop_and_usage()
    {
        using var client = ProviderClients.OpenAI(_server, "echo");

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

    [Fact]
    public async Task Words_n_answers_exactly_n_words_and_counts_them_as_output_tokens()
    {
        using var client = ProviderClients.OpenAI(_server, "words-5");

        var response = await client.GetResponseAsync("anything at all");

        Assert.Equal("w1 w2 w3 w4 w5", response.Text);
        Assert.Equal(5, response.Usage?.OutputTokenCount);
        Assert.Equal("words-5", response.ModelId);
    }

    [Theory]
    [InlineData("status-500", 500)]
    [InlineData("status-503", 503)]
    [InlineData("status-400", 400)]
    public async Task Status_model_surfaces_as_ClientResultException_with_that_status_after_one_request(string model, int status)
    {
        using var client = ProviderClients.OpenAI(_server, model);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(status, error.Status);
        Assert.Equal(1, _server.RequestsFor(model));
    }

    [Fact]
    public async Task Status_429_carries_retry_after_and_is_sent_once()
    {
        using var client = ProviderClients.OpenAI(_server, "status-429");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(429, error.Status);
        Assert.True(error.GetRawResponse()!.Headers.TryGetValue("retry-after", out var retryAfter));
        Assert.Equal("1", retryAfter);
        Assert.Equal(1, _server.RequestsFor("status-429"));
    }

    [Fact]
    public async Task Delay_holds_the_answer_back_for_the_requested_time()
    {
        using var client = ProviderClients.OpenAI(_server, "delay-300");
        var clock = Stopwatch.StartNew();

        var response = await client.GetResponseAsync("late");

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {clock.Elapsed}");
        Assert.Equal("echo: late", response.Text);
    }

    [Fact]
    public async Task Delay_gives_way_when_the_caller_cancels()
    {
        using var client = ProviderClients.OpenAI(_server, "delay-3000");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("hi", cancellationToken: cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"cancelled after {clock.Elapsed}");
    }

    [Fact]
    public async Task Fail_after_2_streams_two_words_then_breaks_the_connection()
    {
        using var client = ProviderClients.OpenAI(_server, "fail-after-2");

        var (updates, failure) = await ChatStreams.ReadAsync(client.GetStreamingResponseAsync("one two three four"));

        Assert.Equal(["echo:", " one"], ChatStreams.Texts(updates));
        Assert.Equal(2, updates.Count);
        Assert.IsType<IOException>(failure);
    }

    [Fact]
    public async Task Wrong_key_is_refused_with_401_and_the_key_is_recorded()
    {
        using var client = ProviderClients.OpenAI(_server, "echo", apiKey: "wrong-key");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(401, error.Status);
        Assert.Contains("invalid_api_key", error.Message, StringComparison.Ordinal);
        Assert.Equal("wrong-key", _server.Requests.Single().ApiKey);
    }

    [Fact]
    public async Task A_refused_connection_surfaces_as_ClientResultException_with_status_0()
    {
        await _server.DisposeAsync();
        using var client = ProviderClients.OpenAI(_server, "echo");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(0, error.Status);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task A_network_timeout_surfaces_as_TaskCanceledException_with_the_caller_token_untouched()
    {
        using var client = ProviderClients.OpenAI(_server, "delay-3000", networkTimeout: TimeSpan.FromMilliseconds(200));
        using var caller = new CancellationTokenSource();

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetResponseAsync("hi", cancellationToken: caller.Token));

        Assert.False(caller.IsCancellationRequested);
        Assert.Contains("NetworkTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_SDK_default_pipeline_sends_a_failing_request_four_times_which_is_why_clients_turn_retries_off()
    {
        using var client = new OpenAIClient(new ApiKeyCredential(ProviderClients.Key), new OpenAIClientOptions { Endpoint = _server.BaseUrl })
            .GetChatClient("status-500").AsIChatClient();

        await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(4, _server.RequestsFor("status-500"));
    }
}

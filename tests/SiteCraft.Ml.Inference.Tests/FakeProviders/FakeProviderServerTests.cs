using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SiteCraft.Ml.FakeProviders;

namespace SiteCraft.Ml.Inference.Tests.FakeProviders;

/// <summary>The servers' bookkeeping and raw wire format, seen through a plain HttpClient.</summary>
public sealed class FakeProviderServerTests : IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task RequestsFor_counts_per_model_while_RequestCount_counts_every_request()
    {
        await using var server = await FakeProviderServer.StartOpenAIAsync();

        await PostOpenAIAsync(server, """{"model":"echo","messages":[{"role":"user","content":"a"}]}""");
        await PostOpenAIAsync(server, """{"model":"echo","messages":[{"role":"user","content":"b"}]}""");
        await PostOpenAIAsync(server, """{"model":"words-3","messages":[]}""");
        using var notFound = await _http.GetAsync(new Uri(server.BaseUrl + "/models"));

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal(2, server.RequestsFor("echo"));
        Assert.Equal(1, server.RequestsFor("words-3"));
        Assert.Equal(0, server.RequestsFor("never-asked"));
        Assert.Equal(4, server.RequestCount);
        Assert.Equal(["echo", "echo", "words-3"], server.Requests.Select(r => r.Model));
    }

    [Fact]
    public async Task Reset_clears_counters_and_the_request_log()
    {
        await using var server = await FakeProviderServer.StartOpenAIAsync();
        await PostOpenAIAsync(server, """{"model":"echo","messages":[]}""");

        server.Reset();

        Assert.Equal(0, server.RequestCount);
        Assert.Equal(0, server.RequestsFor("echo"));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task The_request_log_keeps_model_stream_flag_key_and_raw_body()
    {
        await using var server = await FakeProviderServer.StartOpenAIAsync(apiKey: "k-123");
        const string Body = """{"model":"words-2","stream":true,"messages":[{"role":"user","content":"x"}]}""";

        using var response = await PostOpenAIAsync(server, Body, apiKey: "k-123");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new ReceivedRequest("words-2", true, "k-123", Body), server.Requests.Single());
    }

    [Fact]
    public async Task Tokens_combine_so_one_model_name_both_delays_and_fixes_the_word_count()
    {
        await using var server = await FakeProviderServer.StartOpenAIAsync();
        var clock = Stopwatch.StartNew();

        using var response = await PostOpenAIAsync(server, """{"model":"delay-200+words-3","messages":[]}""");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(190), $"answered after {clock.Elapsed}");
        Assert.Equal("w1 w2 w3", json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("delay-200+words-3", json.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_gets_400_in_OpenAI_error_shape()
    {
        await using var server = await FakeProviderServer.StartOpenAIAsync();

        using var response = await PostOpenAIAsync(server, "not json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task OpenAI_stream_is_one_data_chunk_per_word_a_finish_chunk_a_usage_chunk_and_DONE()
    {
        await using var server = await FakeProviderServer.StartOpenAIAsync();

        using var response = await PostOpenAIAsync(
            server, """{"model":"echo","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"a b"}]}""");
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal(6, events.Length);
        Assert.Equal("stop", Data(events[3]).GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(3, Data(events[4]).GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("data: [DONE]", events[5]);
    }

    [Fact]
    public async Task Anthropic_stream_is_the_documented_event_sequence()
    {
        await using var server = await FakeProviderServer.StartAnthropicAsync();

        using var response = await PostAnthropicAsync(
            server, """{"model":"echo","stream":true,"max_tokens":10,"messages":[{"role":"user","content":"a b"}]}""", header: ("x-api-key", "test-key"));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
             "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Split('\n')[0]["event: ".Length..]));
        Assert.All(events, e => Assert.Equal(e.Split('\n')[0]["event: ".Length..], Data(e).GetProperty("type").GetString()));
        Assert.Equal("end_turn", Data(events[6]).GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task Anthropic_accepts_the_key_as_x_api_key_and_refuses_a_wrong_one_in_its_error_shape()
    {
        await using var server = await FakeProviderServer.StartAnthropicAsync();
        const string Body = """{"model":"echo","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""";

        using var accepted = await PostAnthropicAsync(server, Body, header: ("x-api-key", "test-key"));
        using var refused = await PostAnthropicAsync(server, Body, header: ("x-api-key", "wrong"));
        using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        Assert.Equal("authentication_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    private static JsonElement Data(string serverSentEvent)
    {
        var data = serverSentEvent.Split('\n').Single(line => line.StartsWith("data: ", StringComparison.Ordinal));
        return JsonDocument.Parse(data["data: ".Length..]).RootElement;
    }

    private async Task<HttpResponseMessage> PostOpenAIAsync(FakeProviderServer server, string body, string apiKey = ProviderClients.Key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl + "/chat/completions"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostAnthropicAsync(FakeProviderServer server, string body, (string Name, string Value) header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, "v1/messages"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(header.Name, header.Value);
        request.Headers.Add("anthropic-version", "2023-06-01");
        return await _http.SendAsync(request);
    }
}

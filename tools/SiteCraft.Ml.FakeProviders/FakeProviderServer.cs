using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SiteCraft.Ml.FakeProviders;

/// <summary>
/// A real HTTP server on 127.0.0.1 that speaks one LLM provider's wire format, so tests and
/// benchmarks drive the real SDKs. The requested model name picks the behaviour:
/// <c>echo</c> (and any unknown name), <c>status-NNN</c>, <c>delay-MS</c>, <c>fail-after-N</c>
/// (streaming), <c>words-N</c>, combinable with '+'.
/// </summary>
public sealed class FakeProviderServer : IAsyncDisposable
{
    // Enough history to assert on a test run; a benchmark's memory stays flat while counters stay exact.
    private const int LogCapacity = 10_000;

    // Kestrel's Abort closes the socket at once and drops bytes still queued for it; this lets the
    // socket sender hand the flushed chunks to the kernel first, so the client sees exactly N of them.
    private static readonly TimeSpan s_drainBeforeAbort = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly WireFormat _wire;
    private readonly string _apiKey;
    private readonly ModelCatalog _models = new();
    private readonly RequestLog _log = new(LogCapacity);
    private int _requestCount;
    private int _disposed;

    private FakeProviderServer(WireFormat wire, string apiKey)
    {
        _wire = wire;
        _apiKey = apiKey;

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>OpenAI: <c>http://127.0.0.1:PORT/v1</c>. Anthropic: <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request received since start or the last <see cref="Reset"/>, whatever its path or outcome.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>The last 10,000 requests to the provider's path, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => _log.Snapshot();

    public static Task<FakeProviderServer> StartOpenAIAsync(string apiKey = "test-key", CancellationToken ct = default) =>
        StartAsync(new OpenAIWireFormat(), apiKey, "/v1", ct);

    public static Task<FakeProviderServer> StartAnthropicAsync(string apiKey = "test-key", CancellationToken ct = default) =>
        StartAsync(new AnthropicWireFormat(), apiKey, string.Empty, ct);

    /// <summary>Requests whose body named exactly this model.</summary>
    public int RequestsFor(string model) => _models.CountFor(model);

    public void Reset()
    {
        _log.Clear();
        _models.ResetCounts();
        Interlocked.Exchange(ref _requestCount, 0);
    }

    /// <summary>Stops the server; later calls do nothing, so a test may stop it early to see a refused connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(s_stopTimeout);
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private static async Task<FakeProviderServer> StartAsync(WireFormat wire, string apiKey, string basePath, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var server = new FakeProviderServer(wire, apiKey);
        try
        {
            await server._app.StartAsync(ct);
            var address = server._app.Services.GetRequiredService<IServer>().Features
                .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            server.BaseUrl = new Uri(address + basePath);
            return server;
        }
        catch
        {
            await server._app.DisposeAsync();
            throw;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var sequence = Interlocked.Increment(ref _requestCount);
        var http = context.Request;
        if (!HttpMethods.IsPost(http.Method) || !string.Equals(http.Path.Value, _wire.Path, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var aborted = context.RequestAborted;
        ReadResult body;
        try
        {
            body = await ReadBodyAsync(http.BodyReader, aborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException && aborted.IsCancellationRequested)
        {
            return;
        }

        var apiKey = _wire.PresentedKey(http, _apiKey);
        ChatRequest? parsed;
        try
        {
            parsed = Receive(body.Buffer, apiKey);
        }
        finally
        {
            http.BodyReader.AdvanceTo(body.Buffer.End);
        }

        if (!string.Equals(apiKey, _apiKey, StringComparison.Ordinal))
        {
            await WriteErrorAsync(context.Response, StatusCodes.Status401Unauthorized);
            return;
        }

        if (parsed is not { } request)
        {
            await WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest);
            return;
        }

        var behavior = request.Model.Behavior;
        if (behavior.DelayMilliseconds > 0 && !await DelayAsync(behavior.DelayMilliseconds, aborted))
        {
            context.Abort();
            return;
        }

        if (behavior.Status is { } status)
        {
            await WriteErrorAsync(context.Response, status);
            return;
        }

        var text = request.Model.FixedAnswer ?? string.Concat("echo: ", request.LastUserText);
        var completion = new Completion(
            sequence, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), request.Model.Name, request.InputWords, Words.Count(text), text);
        if (request.Stream)
        {
            await StreamAsync(context, completion, request.IncludeUsage, behavior.FailAfter);
        }
        else
        {
            WriteCompletion(context.Response, completion);
        }
    }

    private static async ValueTask<ReadResult> ReadBodyAsync(PipeReader reader, CancellationToken ct)
    {
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            if (result.IsCompleted || result.IsCanceled)
            {
                return result;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Parses and records the request; null when the body is not a JSON object.</summary>
    private ChatRequest? Receive(in ReadOnlySequence<byte> body, string? apiKey)
    {
        if (body.IsSingleSegment)
        {
            return Receive(body.FirstSpan, apiKey);
        }

        var length = checked((int)body.Length);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(copy);
            return Receive(copy.AsSpan(0, length), apiKey);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private ChatRequest? Receive(ReadOnlySpan<byte> body, string? apiKey)
    {
        ChatRequest? request;
        ModelEntry model;
        try
        {
            var parsed = ChatRequestReader.Read(body, _models);
            request = parsed;
            model = parsed.Model;
        }
        catch (JsonException)
        {
            request = null;
            model = _models.Resolve(string.Empty);
        }

        model.Increment();
        _log.Add(new ReceivedRequest(model.Name, request?.Stream ?? false, apiKey, Encoding.UTF8.GetString(body)));
        return request;
    }

    private async Task<bool> DelayAsync(int milliseconds, CancellationToken aborted)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(aborted, _app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(milliseconds, cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task WriteErrorAsync(HttpResponse response, int status)
    {
        var body = _wire.ErrorBody(status);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        if (status == StatusCodes.Status429TooManyRequests)
        {
            response.Headers.RetryAfter = "1";
        }

        await response.BodyWriter.WriteAsync(body);
    }

    private void WriteCompletion(HttpResponse response, in Completion completion)
    {
        response.ContentType = "application/json";
        using var json = WireFormat.CreateWriter(response.BodyWriter);
        _wire.WriteCompletion(json, completion);
    }

    private async Task StreamAsync(HttpContext context, Completion completion, bool includeUsage, int? failAfter)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var output = response.BodyWriter;
        using var json = WireFormat.CreateWriter(output);

        _wire.WriteStreamStart(output, json, completion);
        var chunker = new WordChunker(completion.Text);
        var sent = 0;
        while (sent != failAfter && chunker.Next(out var start, out var length))
        {
            _wire.WriteStreamDelta(output, json, completion, completion.Text.AsSpan(start, length), sent++);
            if ((await output.FlushAsync()).IsCompleted)
            {
                return;
            }
        }

        if (failAfter is not null)
        {
            await output.FlushAsync();
            await Task.Delay(s_drainBeforeAbort, CancellationToken.None);
            context.Abort();
            return;
        }

        _wire.WriteStreamEnd(output, json, completion, includeUsage);
        await output.FlushAsync();
    }
}

using System.Globalization;
using System.Text.Encodings.Web;

namespace SiteCraft.Ml.FakeProviders;

/// <summary>How one provider spells requests, answers, stream events and errors on the wire.</summary>
internal abstract class WireFormat
{
    // Model names carry '+'; the default encoder would send it as \u002B.
    private static readonly JsonWriterOptions s_jsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly byte[]?[] _errorBodies = new byte[200][];

    /// <summary>The request path this provider serves, e.g. <c>/v1/chat/completions</c>.</summary>
    public abstract string Path { get; }

    /// <summary>
    /// The API key the request presented, or null when it sent none. A key equal to
    /// <c>expected</c> comes back as that same instance, so a good key costs no allocation.
    /// </summary>
    public abstract string? PresentedKey(HttpRequest request, string expected);

    public abstract void WriteCompletion(Utf8JsonWriter json, in Completion completion);

    public abstract void WriteStreamStart(PipeWriter output, Utf8JsonWriter json, in Completion completion);

    public abstract void WriteStreamDelta(PipeWriter output, Utf8JsonWriter json, in Completion completion, ReadOnlySpan<char> text, int index);

    public abstract void WriteStreamEnd(PipeWriter output, Utf8JsonWriter json, in Completion completion, bool includeUsage);

    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> output) => new(output, s_jsonOptions);

    /// <summary>The provider's JSON error body for a status from 400 to 599, built once per status.</summary>
    public byte[] ErrorBody(int status)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        return _errorBodies[status - 400] ??= BuildErrorBody(status);
    }

    protected abstract void WriteError(Utf8JsonWriter json, int status);

    protected static string? BearerKey(HttpRequest request, string expected)
    {
        string? header = request.Headers.Authorization;
        if (header is null)
        {
            return null;
        }

        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return header;
        }

        var key = header.AsSpan(Scheme.Length).Trim();
        return key.SequenceEqual(expected) ? expected : key.ToString();
    }

    protected static string ErrorMessage(int status) => status == StatusCodes.Status401Unauthorized
        ? "Invalid API key."
        : $"The fake provider answered {status} because the model name asked for it.";

    protected static void WriteId(Utf8JsonWriter json, ReadOnlySpan<char> prefix, long sequence)
    {
        Span<char> id = stackalloc char[prefix.Length + 20];
        prefix.CopyTo(id);
        sequence.TryFormat(id[prefix.Length..], out var digits, provider: CultureInfo.InvariantCulture);
        json.WriteString("id"u8, id[..(prefix.Length + digits)]);
    }

    /// <summary>Starts one server-sent event: writes its prefix and points the JSON writer at the output.</summary>
    protected static void BeginEvent(PipeWriter output, Utf8JsonWriter json, ReadOnlySpan<byte> prefix)
    {
        output.Write(prefix);
        json.Reset(output);
    }

    protected static void EndEvent(PipeWriter output, Utf8JsonWriter json)
    {
        json.Flush();
        output.Write("\n\n"u8);
    }

    private byte[] BuildErrorBody(int status)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = CreateWriter(buffer))
        {
            WriteError(json, status);
        }

        return buffer.WrittenSpan.ToArray();
    }
}

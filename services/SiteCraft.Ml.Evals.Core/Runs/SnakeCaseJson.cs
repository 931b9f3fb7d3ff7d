using System.Text.Encodings.Web;
using System.Text.Json;

namespace SiteCraft.Ml.Evals.Core.Runs;

/// <summary>The JSON shape every eval record is stored in: snake_case names, as the SQL columns are.</summary>
internal static class SnakeCaseJson
{
    /// <summary>
    /// Relaxed escaping keeps non-ASCII text readable in jsonb and reports; the text only ever goes
    /// into JSON documents and single-quoted SQL literals, never into HTML.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

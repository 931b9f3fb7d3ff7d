using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SiteCraft.Ml.Training.Corpus.Writing;

/// <summary>
/// JSON settings for completions and JSONL lines: no indentation, and '&amp;' or apostrophes kept as
/// written rather than \u0026, so the model learns the text a person would read.
/// </summary>
internal static class CompactJson
{
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}

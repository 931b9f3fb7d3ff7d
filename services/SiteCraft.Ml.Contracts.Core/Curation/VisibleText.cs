using System.Text;

namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>
/// The prose a reader of a generated site would see: the string values of a JSON completion,
/// the text nodes of HTML (style and script bodies dropped), text with CSS blocks taken out.
/// Repetition heuristics run on this, because markup repeats by nature (every section ends
/// in &lt;/div&gt;, every JSON section has a "heading" key) and that says nothing about the copy.
/// </summary>
public static class VisibleText
{
    /// <summary>The prose, one text run per line.</summary>
    public static string Extract(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (!trimmed.IsEmpty && trimmed[0] is '{' or '[' && TryJsonStrings(text, out var strings))
        {
            return strings;
        }

        var markup = MarkupRegions.Find(text);
        if (markup.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (start, end) in markup)
        {
            builder.Append(text, at, start - at).Append('\n');
            at = end;
        }

        return builder.Append(text, at, text.Length - at).ToString();
    }

    private static bool TryJsonStrings(string text, out string strings)
    {
        strings = "";
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
        var builder = new StringBuilder(text.Length);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    // Values that are markup themselves (an HTML body in a JSON field) are reduced too.
                    var value = reader.GetString()!;
                    builder.Append(value.Contains('<', StringComparison.Ordinal) ? Extract(value) : value).Append('\n');
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape: not JSON text we can read, so treat it as plain text.
            return false;
        }

        strings = builder.ToString();
        return true;
    }
}

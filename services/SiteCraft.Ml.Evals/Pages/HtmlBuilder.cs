using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace SiteCraft.Ml.Evals.Pages;

/// <summary>
/// Builds a page from interpolated strings whose literals are markup and whose holes are values:
/// every hole is HTML-encoded (numbers and dates in the invariant culture), so model output can
/// never become markup. Only another <see cref="HtmlBuilder"/> is inserted as is.
/// </summary>
internal sealed class HtmlBuilder
{
    // All ranges: text in any script stays readable in the source; <, >, &, quotes are still encoded.
    private static readonly HtmlEncoder s_encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly StringBuilder _html = new();

    public HtmlBuilder Append([InterpolatedStringHandlerArgument("")] ref HtmlInterpolatedStringHandler handler) => this;

    public override string ToString() => _html.ToString();

    internal void AppendMarkup(string markup) => _html.Append(markup);

    internal void AppendMarkup(HtmlBuilder fragment) => _html.Append(fragment._html);

    internal void AppendValue(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            _html.Append(s_encoder.Encode(text));
        }
    }

    internal void AppendValue<T>(T value, string? format)
    {
        var text = value switch
        {
            null => null,
            IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        AppendValue(text);
    }
}

[InterpolatedStringHandler]
internal readonly ref struct HtmlInterpolatedStringHandler
{
    private readonly HtmlBuilder _builder;

    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount, HtmlBuilder builder)
    {
        _ = literalLength;
        _ = formattedCount;
        _builder = builder;
    }

    public void AppendLiteral(string markup) => _builder.AppendMarkup(markup);

    public void AppendFormatted(HtmlBuilder fragment) => _builder.AppendMarkup(fragment);

    public void AppendFormatted(string? value) => _builder.AppendValue(value);

    public void AppendFormatted<T>(T value) => _builder.AppendValue(value, null);

    public void AppendFormatted<T>(T value, string? format) => _builder.AppendValue(value, format);
}

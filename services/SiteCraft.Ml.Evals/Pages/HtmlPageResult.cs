using System.Text;

namespace SiteCraft.Ml.Evals.Pages;

/// <summary>
/// A whole report page: the shared head, style and nav bar, an &lt;h1&gt;, then the body. The
/// content security policy allows no script at all, a second wall behind the encoding.
/// </summary>
internal sealed class HtmlPageResult(string title, HtmlBuilder body, int statusCode = StatusCodes.Status200OK) : IResult
{
    private const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0 1.5rem 2rem;color:#1f2328}
        nav{display:flex;gap:1rem;padding:.75rem 0;border-bottom:1px solid #d0d7de;margin-bottom:1rem}
        nav a{font-weight:600}
        table{border-collapse:collapse;margin:.5rem 0 1.5rem}
        th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
        thead th{background:#f6f8fa}
        td.num{text-align:right;font-variant-numeric:tabular-nums}
        pre{white-space:pre-wrap;word-break:break-word;max-width:80ch;margin:0;background:#f6f8fa;padding:.25rem}
        .failed,.fail{color:#cf222e;font-weight:600}.passed,.pass{color:#1a7f37;font-weight:600}.error{color:#9a6700;font-weight:600}
        .note{color:#57606a}
        """;

    public static HtmlPageResult Problem(int statusCode, string title, string message)
    {
        var body = new HtmlBuilder().Append($"""<p data-testid="problem" class="failed">{message}</p>""");
        return new HtmlPageResult(title, body, statusCode);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var page = new HtmlBuilder().Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{title} · SiteCraft evals</title>
            <style>
            """);
        page.AppendMarkup(Style);
        page.Append($"""
            </style>
            </head>
            <body>
            <nav aria-label="Reports"><a href="/evals" data-testid="nav-runs">Runs</a><a href="/evals/gates" data-testid="nav-gates">Gates</a><a href="/evals/online" data-testid="nav-online">Online</a></nav>
            <main>
            <h1>{title}</h1>
            {body}
            </main>
            </body>
            </html>
            """);

        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        await response.WriteAsync(page.ToString(), Encoding.UTF8, httpContext.RequestAborted);
    }
}

using System.Text.Encodings.Web;

namespace Switchboard.Platform.Protection;

/// <summary>
/// How a request refused by an IP rule is answered (ADR 0023's audiences): problem+json for the API and scripts, a small
/// self-contained HTML page for people — self-contained because a blocked address gets nothing else, not even styles.
/// </summary>
public static class Refusals
{
    public static async Task WriteAsync(HttpContext http, int status, string title, string detail)
    {
        if (!ErrorAudiences.WantsHtml(http))
        {
            await Problems.Write(http, status, title, detail);
            return;
        }
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        // The page's own inline styles and nothing else (the app's policy forbids inline styles; this page has no script).
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        var html = HtmlEncoder.Default;
        await http.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{html.Encode(title)}} · Switchboard</title>
            <style>
              body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f5f6f8; color: #1f2430;
                     font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
              main { max-width: 32rem; margin: 1.5rem; padding: 2rem 2.25rem; background: #fff; border: 1px solid #e1e4ea;
                     border-radius: 12px; box-shadow: 0 1px 3px rgba(16, 24, 40, .06); }
              h1 { margin: 0 0 .75rem; font-size: 1.35rem; }
              p { margin: 0 0 .75rem; color: #4a5263; }
              .status { font-size: .8rem; letter-spacing: .06em; text-transform: uppercase; color: #8a92a3; }
            </style></head>
            <body><main>
              <p class="status">Error {{status}}</p>
              <h1>{{html.Encode(title)}}</h1>
              <p>{{html.Encode(detail)}}</p>
            </main></body></html>
            """);
    }
}

namespace Switchboard.Platform.Web;

/// <summary>Conservative browser security headers on every response; a strict CSP on our own pages.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), geolocation=(), microphone=(self)";
        // Swagger UI ships inline bootstrap script and styles; it is a read-only developer page.
        if (!http.Request.Path.StartsWithSegments("/api-docs")) headers.ContentSecurityPolicy = ContentSecurityPolicy;
        return next(http);
    }
}
